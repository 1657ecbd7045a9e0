// policy/waivers.ts: parsing, matching and expiry of waivers (direct calls, no pack process).
import * as assert from "assert";
import {
    describeWaiver,
    expiredWaiverMessage,
    expiredWaivers,
    findWaiver,
    parseWaivedMessage,
    parseWaivers,
    waivedMessage,
    Waiver,
    waiverMatches,
} from "../../policy/waivers";

const urn = "urn:pulumi:prod::platform::alicloud:kms/key:Key::prod-key";
const valid = {
    policy: "kms-key-rotation-enabled",
    resource: "prod-key",
    reason: "HSM key, rotation not offered",
    owner: "alice@example.com",
    expires: "2030-06-30",
};

function one(entry: Record<string, unknown>): Waiver {
    const { waivers, problems } = parseWaivers([entry]);
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(waivers.length, 1);
    return waivers[0];
}

describe("policy/waivers", () => {
    it("parses a complete waiver and keeps its fields", () => {
        const waiver = one(valid);
        assert.strictEqual(waiver.policy, "kms-key-rotation-enabled");
        assert.strictEqual(waiver.owner, "alice@example.com");
        assert.strictEqual(waiver.expiresAtMs, Date.UTC(2030, 6, 1));
    });

    it("rejects a waiver without a reason, naming the entry and the field", () => {
        const { waivers, problems } = parseWaivers([{ ...valid, reason: undefined }]);
        assert.deepStrictEqual(waivers, []);
        assert.deepStrictEqual(problems, [
            "[waivers[0].reason] is missing: a waiver says why the finding is accepted.",
        ]);
    });

    it("rejects a blank reason and a missing expiry", () => {
        const { reason: _r, expires: _e, ...rest } = valid;
        void _r;
        void _e;
        const { waivers, problems } = parseWaivers([valid, { ...rest, reason: "  " }]);
        assert.strictEqual(waivers.length, 1);
        assert.deepStrictEqual(problems, [
            '[waivers[1].reason] "  " is not allowed: a waiver says why the finding is accepted.',
            "[waivers[1].expires] is missing: a waiver needs an expiry date, YYYY-MM-DD.",
        ]);
    });

    it("rejects an expiry that is no calendar date", () => {
        for (const expires of ["2030-02-30", "2030-13-01", "30 June 2030", "2030-06-30T00:00Z"]) {
            const { problems } = parseWaivers([{ ...valid, expires }]);
            assert.deepStrictEqual(problems, [
                `[waivers[0].expires] ${JSON.stringify(expires)} is not a date: use YYYY-MM-DD.`,
            ]);
        }
    });

    it("rejects a list that is not a list, an entry that is not an object and unknown fields", () => {
        assert.deepStrictEqual(parseWaivers("all", { argument: "--waivers" }).problems, [
            '[--waivers] "all" is not a list: use a list of { policy, resource, reason, owner, expires }.',
        ]);
        assert.deepStrictEqual(parseWaivers([7]).problems, [
            "[waivers[0]] 7 is not a waiver: use { policy, resource, reason, owner, expires }.",
        ]);
        assert.deepStrictEqual(parseWaivers([{ ...valid, until: "2031-01-01" }]).problems, [
            "[waivers[0].until] is not a waiver field: use policy, resource, reason, owner, expires.",
        ]);
        assert.deepStrictEqual(parseWaivers(undefined), { waivers: [], problems: [] });
    });

    it("takes the policy from the config that holds the list, and rejects another policy's waiver", () => {
        const { policy: _p, ...unnamed } = valid;
        void _p;
        const inherited = parseWaivers([unnamed], { policy: "kms-key-same-region" });
        assert.deepStrictEqual(inherited.problems, []);
        assert.strictEqual(inherited.waivers[0].policy, "kms-key-same-region");
        assert.deepStrictEqual(parseWaivers([valid], { policy: "kms-key-same-region" }).problems, [
            '[waivers[0].policy] "kms-key-rotation-enabled" is not this policy: list the waiver under "kms-key-rotation-enabled" in the policy config, or leave the field out.',
        ]);
        assert.deepStrictEqual(parseWaivers([unnamed]).problems, [
            "[waivers[0].policy] is missing: a waiver names the policy it waives.",
        ]);
    });

    it("matches a name pattern against the resource name, from the URN when no name is given", () => {
        const waiver = one({ ...valid, resource: "prod-*" });
        assert.strictEqual(waiverMatches(waiver, { policy: valid.policy, urn }), true);
        assert.strictEqual(waiverMatches(waiver, { policy: valid.policy, name: "prod-k" }), true);
        assert.strictEqual(waiverMatches(waiver, { policy: valid.policy, name: "dev-key" }), false);
        assert.strictEqual(waiverMatches(waiver, { policy: "kms-key-same-region", urn }), false);
    });

    it("matches a URN pattern only against URNs, and a stack-wide finding only with *", () => {
        const exact = one({ ...valid, resource: urn });
        assert.strictEqual(waiverMatches(exact, { policy: valid.policy, urn }), true);
        assert.strictEqual(waiverMatches(exact, { policy: valid.policy, name: "prod-key" }), false);
        const otherStack = one({ ...valid, resource: "urn:pulumi:dev::*" });
        assert.strictEqual(waiverMatches(otherStack, { policy: valid.policy, urn }), false);
        assert.strictEqual(waiverMatches(one(valid), { policy: valid.policy }), false);
        assert.strictEqual(
            waiverMatches(one({ ...valid, resource: "*" }), { policy: valid.policy }),
            true,
        );
    });

    it("matches a cluster id as audit gives it", () => {
        const waiver = one({ ...valid, resource: "c0123*" });
        assert.strictEqual(
            waiverMatches(waiver, { policy: valid.policy, name: "c0123456789abcdef" }),
            true,
        );
    });

    it("holds through its expiry day (UTC) and expires the instant after", () => {
        const waiver = one(valid);
        const lastMoment = new Date(Date.UTC(2030, 5, 30, 23, 59, 59, 999));
        const nextDay = new Date(Date.UTC(2030, 6, 1));
        assert.deepStrictEqual(findWaiver([waiver], { policy: valid.policy, urn }, lastMoment), {
            waiver,
            expired: false,
        });
        assert.deepStrictEqual(findWaiver([waiver], { policy: valid.policy, urn }, nextDay), {
            waiver,
            expired: true,
        });
        assert.deepStrictEqual(expiredWaivers([waiver], nextDay), [waiver]);
        assert.deepStrictEqual(expiredWaivers([waiver], lastMoment), []);
    });

    it("prefers a valid waiver over an expired one for the same finding", () => {
        const old = one({ ...valid, expires: "2020-01-31", owner: "bob" });
        const renewed = one(valid);
        const found = findWaiver([old, renewed], { policy: valid.policy, urn }, new Date(2025, 0));
        assert.strictEqual(found?.waiver, renewed);
        assert.strictEqual(found?.expired, false);
        assert.strictEqual(findWaiver([old], { policy: valid.policy, name: "x" }), undefined);
    });

    it("names an expired waiver and its owner", () => {
        const waiver = one({ ...valid, expires: "2020-01-31" });
        assert.strictEqual(
            describeWaiver(waiver),
            'waiver of kms-key-rotation-enabled for "prod-key" (owner alice@example.com)',
        );
        assert.strictEqual(
            expiredWaiverMessage(waiver),
            'The waiver of kms-key-rotation-enabled for "prod-key" (owner alice@example.com) expired on 2020-01-31: fix the finding, or have alice@example.com renew the waiver with a new expiry date.',
        );
    });

    it("reads a waived message back into the waiver and the finding", () => {
        const message = waivedMessage(one(valid), "Turn automatic rotation on.\nsecond line");
        assert.deepStrictEqual(parseWaivedMessage(message), {
            expires: "2030-06-30",
            owner: "alice@example.com",
            reason: "HSM key, rotation not offered",
            message: "Turn automatic rotation on.\nsecond line",
        });
        assert.strictEqual(parseWaivedMessage("Turn automatic rotation on."), undefined);
    });
});
