// audit's key-destruction check over what was read of the account's custom policies.
import * as assert from "assert";
import { destructionCheck } from "../../audit/keyRiskChecks";

describe("audit: ram-key-destruction-denied", () => {
    const clean = { uncovered: [], unreadable: [], unreadAttached: [] };

    it("passes when every attached custom policy was read and none grants the actions", () => {
        assert.strictEqual(destructionCheck("key-1", clean).status, "pass");
    });

    it("fails, not passes, when attached policies past the read cap were not read", () => {
        const check = destructionCheck("key-1", { ...clean, unreadAttached: ["p1", "p2"] });
        assert.strictEqual(check.status, "fail");
        assert.strictEqual(
            check.detail,
            "did not read 2 attached custom policies past the first 200 (p1, p2): they may grant them",
        );
    });
});
