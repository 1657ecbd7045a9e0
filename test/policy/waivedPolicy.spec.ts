// Waivers applied by the pack (policy/waivedPolicy.ts), through the analyzer protocol.
import * as assert from "assert";
import { waiversOf } from "../../policy/waivedPolicy";
import { cluster, key, startedPack } from "./support/stack";

const policy = "kms-key-rotation-enabled";
const waiver = {
    resource: "secrets",
    reason: "HSM migration pending",
    owner: "alice@example.com",
    expires: "2999-12-31",
};

describe("policy waivers in the pack", function () {
    this.timeout(120_000);
    const harness = startedPack();
    const stack = [key("secrets", { automaticRotation: "Disabled" }), cluster("prod")];
    // Configure sets only what it is given: state the level each time.
    const findings = async (config: Record<string, Record<string, unknown>>) =>
        (
            await harness.run(stack, {
                [policy]: { enforcementLevel: "advisory", ...config[policy] },
            })
        ).violations
            .filter((v) => v.policyName === policy)
            .map((v) => [v.enforcementLevel, v.message]);

    it("reports a waived finding as advisory, with the waiver before the finding", async () => {
        const [[level, message]] = await findings({ [policy]: { waivers: [waiver] } });
        assert.strictEqual(level, "advisory");
        assert.match(
            message as string,
            /^Waived until 2999-12-31 by alice@example\.com \(HSM migration pending\): The KMS key bound/,
        );
        assert.match(message as string, /Set automaticRotation to Enabled/);
    });

    it("waives a mandatory policy's finding too: the run passes", async () => {
        const mandatory = await findings({
            [policy]: { enforcementLevel: "mandatory", waivers: [waiver] },
        });
        assert.deepStrictEqual(
            mandatory.map(([level]) => level),
            ["advisory"],
        );
    });

    it("fails the run on an expired waiver, naming it and its owner", async () => {
        const expired = await findings({
            [policy]: { waivers: [{ ...waiver, expires: "2001-01-31" }] },
        });
        assert.deepStrictEqual(expired.slice().sort(), [
            [
                "advisory",
                "The KMS key bound to an ACK cluster rotates automatically within maxRotationDays, where its key type allows rotation.\nSet automaticRotation to Enabled on the key of cluster prod with a rotationInterval of at most 365d.",
            ],
            [
                "mandatory",
                'The waiver of kms-key-rotation-enabled for "secrets" (owner alice@example.com) expired on 2001-01-31: fix the finding, or have alice@example.com renew the waiver with a new expiry date.',
            ],
        ]);
    });

    it("leaves a waiver naming another resource alone", async () => {
        const other = await findings({
            [policy]: { waivers: [{ ...waiver, resource: "other-*", expires: "2001-01-01" }] },
        });
        assert.deepStrictEqual(
            other.map(([level]) => level),
            ["advisory"],
        );
        assert.doesNotMatch(other[0][1] as string, /Waived/);
    });

    it("rejects a waiver without a reason when the config is validated", async () => {
        const { reason: _r, ...noReason } = waiver;
        void _r;
        await assert.rejects(harness.run(stack, { [policy]: { waivers: [noReason] } }), /reason/);
    });

    it("fails the run on a date the schema lets through but no calendar has", async () => {
        const bad = await findings({
            [policy]: { waivers: [{ ...waiver, expires: "2030-02-30" }] },
        });
        assert.ok(
            bad.some(
                ([level, message]) =>
                    level === "mandatory" &&
                    message ===
                        'Fix the waiver in the config of kms-key-rotation-enabled: [waivers[0].expires] "2030-02-30" is not a date: use YYYY-MM-DD.',
            ),
            JSON.stringify(bad),
        );
    });
});

describe("waiversOf", () => {
    it("reads a waivers list once per list and policy (a resource policy runs per resource)", () => {
        const list = [{ policy, ...waiver }];
        const first = waiversOf(list, policy);
        assert.strictEqual(first.waivers.length, 1);
        assert.strictEqual(waiversOf(list, policy), first);
        // Another policy reads the same list its own way (an entry naming another policy is a problem).
        const other = waiversOf(list, "kms-key-same-region");
        assert.notStrictEqual(other, first);
        assert.strictEqual(other.problems.length, 1);
        // Another list with the same entries is read again.
        assert.notStrictEqual(waiversOf([{ policy, ...waiver }], policy), first);
        assert.deepStrictEqual(waiversOf(undefined, policy), { waivers: [], problems: [] });
    });
});
