// plan's JSON report marks a waived finding (and stays valid under its schema).
import * as assert from "assert";
import * as path from "path";
import { runPlan } from "../engine/support/planEngine";
import { policyPackDir, repoRoot, schemaErrors } from "./support";

describe("ack-kms plan: waivers in the report", function () {
    this.timeout(300_000);

    it("marks the waived finding, fails on the expired waiver, and validates", () => {
        const planned = runPlan(path.join(repoRoot, "test/fixtures/plan-violations"), {
            policyPacks: [policyPackDir],
            policyPackConfigs: [path.join(repoRoot, "test/engine/configs/waivers.json")],
        });
        assert.ok(planned.report, planned.stderr);
        assert.strictEqual(schemaErrors("plan-report.schema.json", planned.report), "");
        const waived = planned.report.violations.filter((v) => v.waived);
        assert.deepStrictEqual(
            waived.map((v) => [v.policy, v.resourceName, v.enforcementLevel, v.waived]),
            [
                [
                    "kms-key-rotation-enabled",
                    "signing-key",
                    "advisory",
                    {
                        owner: "platform@example.com",
                        expires: "2999-12-31",
                        reason: "asymmetric key, replaced in Q3",
                    },
                ],
            ],
        );
        const expired = planned.report.violations.filter((v) =>
            /expired on 2001-01-31/.test(v.message),
        );
        assert.deepStrictEqual(
            expired.map((v) => [v.resourceName, v.enforcementLevel]),
            [["cs-admin", "mandatory"]],
        );
        assert.strictEqual(planned.exitCode, 1);
    });
});
