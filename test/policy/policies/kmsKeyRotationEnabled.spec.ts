// kms-key-rotation-enabled through the analyzer protocol, in update and preview form, for clusters
// of the stack and clusters bound by ExistingClusterEncryption; its rotation limits by direct call.
import * as assert from "assert";
import { allowedRotationDays } from "../../../policy/policies/kmsKeyRotationEnabled";
import { previewPair, updatePair } from "../support/clusterPairs";
import * as existingCluster from "../support/existingCluster";
import { key, previewNotice, unknown, startedPack, policyMessages } from "../support/stack";

const policy = "kms-key-rotation-enabled";

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const harness = startedPack();
    const run = policyMessages(harness, policy);

    const k = key();
    const software = { protectionLevel: "SOFTWARE", dkmsInstanceId: "kst-hzz1234" };

    it("passes a default key rotating every 365 days", async () => {
        assert.deepStrictEqual(await run(updatePair()), []);
    });

    it("asks a default key to rotate (preview)", async () => {
        assert.deepStrictEqual(
            await run(previewPair({ automaticRotation: undefined, rotationInterval: undefined })),
            [
                [
                    "Set automaticRotation to Enabled on the key of cluster prod with a rotationInterval of at most 365d.",
                    k.urn,
                ],
            ],
        );
    });

    it("rejects a software key rotating less often than allowed", async () => {
        assert.deepStrictEqual(await run(updatePair({ ...software, rotationInterval: "400d" })), [
            [
                "Set rotationInterval to at most 365d on the key of cluster prod instead of 400d.",
                k.urn,
            ],
        ]);
    });

    it("applies maxRotationDays to software keys", async () => {
        const config = { [policy]: { maxRotationDays: 90 } };
        assert.deepStrictEqual(
            await run(updatePair({ ...software, rotationInterval: "30d" }), config),
            [],
        );
        assert.deepStrictEqual(
            await run(updatePair({ ...software, rotationInterval: "180d" }), config),
            [
                [
                    "Set rotationInterval to at most 90d on the key of cluster prod instead of 180d.",
                    k.urn,
                ],
            ],
        );
        assert.deepStrictEqual(
            await run(updatePair({ ...software, rotationInterval: "2160h" }), config),
            [],
        );
    });

    it("expects no rotation from an HSM key", async () => {
        assert.deepStrictEqual(
            await run(
                updatePair({
                    protectionLevel: "HSM",
                    dkmsInstanceId: "kst-1",
                    automaticRotation: "Disabled",
                }),
            ),
            [],
        );
    });

    it("says a default key cannot meet a maxRotationDays under 365", async () => {
        assert.deepStrictEqual(await run(updatePair(), { [policy]: { maxRotationDays: 90 } }), [
            [
                "Move the key of cluster prod into a KMS instance (dkmsInstanceId) or raise maxRotationDays to 365: default keys rotate only every 365 days.",
                k.urn,
            ],
        ]);
    });

    it("rejects an interval KMS would not accept", async () => {
        assert.deepStrictEqual(await run(updatePair({ rotationInterval: "1y" })), [
            [
                "Set rotationInterval to at most 365d on the key of cluster prod instead of 1y.",
                k.urn,
            ],
        ]);
    });

    it("gives notices, not violations, for unknown rotation settings or key type in preview", async () => {
        assert.deepStrictEqual(await run(previewPair({ automaticRotation: unknown })), [
            [previewNotice("automaticRotation", "key secrets"), k.urn],
        ]);
        assert.deepStrictEqual(
            await run(
                previewPair({
                    protectionLevel: "SOFTWARE",
                    dkmsInstanceId: unknown,
                    automaticRotation: "Disabled",
                }),
            ),
            [[previewNotice("dkmsInstanceId", "key secrets"), k.urn]],
        );
    });

    it("is advisory by default", async () => {
        const { violations } = await harness.run(updatePair({ automaticRotation: "Disabled" }));
        assert.deepStrictEqual(
            violations.filter((v) => v.policyName === policy).map((v) => v.enforcementLevel),
            ["advisory"],
        );
    });

    describe("remediation", () => {
        const remediated = async (
            props: Record<string, unknown>,
            config: Record<string, unknown> = {},
        ) => {
            const result = await harness.run(updatePair(props), {
                [policy]: { enforcementLevel: "remediate", ...config },
            });
            return result.remediations
                .filter((r) => r.policyName === policy)
                .map((r) => r.properties);
        };

        it("turns rotation on for a default key at 365 days", async () => {
            const [props] = await remediated({
                automaticRotation: "Disabled",
                rotationInterval: undefined,
            });
            assert.strictEqual(props!.automaticRotation, "Enabled");
            assert.strictEqual(props!.rotationInterval, "365d");
        });

        it("uses maxRotationDays for a software key", async () => {
            const [props] = await remediated(
                { ...software, automaticRotation: "Disabled" },
                { maxRotationDays: 30 },
            );
            assert.strictEqual(props!.rotationInterval, "30d");
        });

        it("leaves HSM keys and keys already rotating alone", async () => {
            assert.deepStrictEqual(
                await remediated({ protectionLevel: "HSM", automaticRotation: "Disabled" }),
                [],
            );
            assert.deepStrictEqual(await remediated({}), []);
        });
    });

    describe("clusters bound by ExistingClusterEncryption", () => {
        const { external } = existingCluster;

        for (const [form, pair] of existingCluster.forms) {
            it(`passes a key rotating every 365d (${form})`, async () => {
                assert.deepStrictEqual(await run(pair()), []);
            });

            it(`asks for rotation on the key, naming the cluster id (${form})`, async () => {
                assert.deepStrictEqual(await run(pair({ automaticRotation: "Disabled" })), [
                    [
                        `Set automaticRotation to Enabled on the key of ${external} with a rotationInterval of at most 365d.`,
                        k.urn,
                    ],
                ]);
            });
        }

        it("gives a notice, not a violation, for an unknown automaticRotation in preview", async () => {
            assert.deepStrictEqual(
                await run(existingCluster.previewPair({ automaticRotation: unknown })),
                [[previewNotice("automaticRotation", "key secrets"), k.urn]],
            );
        });
    });

    describe("limits (direct calls)", () => {
        it("allows default keys only 365 days", () => {
            assert.strictEqual(allowedRotationDays("default", 365), 365);
            assert.strictEqual(allowedRotationDays("default", 364), undefined);
        });
        it("allows software keys 7 to 365 days", () => {
            assert.strictEqual(allowedRotationDays("software", 30), 30);
            assert.strictEqual(allowedRotationDays("software", 7), 7);
            assert.strictEqual(allowedRotationDays("software", 400), 365);
        });
        it("allows HSM keys no automatic rotation", () => {
            assert.strictEqual(allowedRotationDays("hsm", 365), undefined);
        });
    });
});
