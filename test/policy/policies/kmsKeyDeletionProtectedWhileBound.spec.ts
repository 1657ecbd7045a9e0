// kms-key-deletion-protected-while-bound through the analyzer protocol, in update form (literal ids,
// arns known) and preview form (ids unknown, bound through propertyDependencies), for clusters of
// the stack and clusters bound by ExistingClusterEncryption.
import * as assert from "assert";
import { secret } from "../../../offline/analyzer";
import { previewPair, updatePair } from "../support/clusterPairs";
import * as existingCluster from "../support/existingCluster";
import {
    cluster,
    existingClusterEncryption,
    guard,
    key,
    keyArn,
    previewKey,
    previewNotice,
    unknown,
    startedPack,
    policyMessages,
} from "../support/stack";

const policy = "kms-key-deletion-protected-while-bound";

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const harness = startedPack();
    const run = policyMessages(harness, policy);

    const k = key();

    for (const [form, pair] of [
        ["update", updatePair],
        ["preview", previewPair],
    ] as const) {
        it(`passes a protected, enabled key with protect: true (${form})`, async () => {
            assert.deepStrictEqual(await run(pair()), []);
        });

        it(`rejects deletion protection turned off (${form})`, async () => {
            assert.deepStrictEqual(await run(pair({ deletionProtection: "Disabled" })), [
                [
                    "Set deletionProtection to Enabled on this key: cluster prod encrypts its Secrets with it.",
                    k.urn,
                ],
            ]);
        });

        it(`rejects a key without protect: true (${form})`, async () => {
            assert.deepStrictEqual(await run(pair({}, { protect: false })), [
                [
                    "Give this key the resource option protect: true: cluster prod encrypts its Secrets with it.",
                    k.urn,
                ],
            ]);
        });
    }

    it("takes a missing deletionProtection as the provider's default, Disabled", async () => {
        assert.strictEqual((await run(updatePair({ deletionProtection: undefined }))).length, 1);
    });

    it("rejects a Disabled key", async () => {
        assert.deepStrictEqual(await run(updatePair({ status: "Disabled" })), [
            [
                "Set this key's status to Enabled instead of Disabled: cluster prod cannot read its Secrets without it.",
                k.urn,
            ],
        ]);
    });

    it("rejects a key pending deletion", async () => {
        assert.deepStrictEqual(await run(updatePair({ status: "PendingDeletion" })), [
            [
                "Cancel the deletion of this key and set its status to Enabled: cluster prod cannot read its Secrets without it.",
                k.urn,
            ],
        ]);
    });

    it("reads the deprecated keyState when status is absent", async () => {
        assert.strictEqual(
            (await run(updatePair({ status: undefined, keyState: "Disabled" }))).length,
            1,
        );
    });

    it("gives notices, not violations, for an unknown deletionProtection or status in preview", async () => {
        assert.deepStrictEqual(
            await run(previewPair({ deletionProtection: unknown, status: unknown })),
            [
                [previewNotice("deletionProtection", "key secrets"), k.urn],
                [previewNotice("status", "key secrets"), k.urn],
            ],
        );
    });

    it("leaves keys no cluster is bound to alone", async () => {
        assert.deepStrictEqual(
            await run([key("spare", { deletionProtection: "Disabled" }, { protect: false })]),
            [],
        );
    });

    it("leaves keys of a cluster with encryption disabled alone", async () => {
        assert.deepStrictEqual(
            await run([
                key("secrets", { deletionProtection: "Disabled" }),
                cluster("prod", { disableEncryption: true }),
            ]),
            [],
        );
    });

    it("matches a key id to the end of the key's arn (update form)", async () => {
        assert.strictEqual(
            (await run([key("secrets", { deletionProtection: "Disabled" }), cluster("prod")]))
                .length,
            1,
        );
        assert.deepStrictEqual(
            await run([
                key("other", { arn: keyArn("key-other"), deletionProtection: "Disabled" }),
                cluster("prod"),
            ]),
            [],
        );
    });

    it("matches a cluster bound by key ARN", async () => {
        assert.strictEqual(
            (
                await run([
                    key("secrets", { deletionProtection: "Disabled" }),
                    cluster("prod", { encryptionProviderKey: keyArn() }),
                ])
            ).length,
            1,
        );
    });

    it("follows a binding through a KeyDeletionGuard", async () => {
        const k2 = previewKey("secrets", { deletionProtection: "Disabled" });
        const g = guard("guard", { keyId: unknown }, { guarding: k2 });
        const c = cluster("prod", { encryptionProviderKey: unknown }, { boundTo: g });
        assert.strictEqual((await run([k2, g, c])).length, 1);
    });

    describe("remediation", () => {
        const remediate = { [policy]: "remediate" };

        it("turns deletion protection on with a description", async () => {
            const result = await harness.run(
                updatePair({ deletionProtection: "Disabled" }),
                remediate,
            );
            const rem = result.remediations.filter((r) => r.policyName === policy);
            assert.strictEqual(rem.length, 1);
            assert.strictEqual(rem[0].urn, k.urn);
            assert.strictEqual(rem[0].properties!.deletionProtection, "Enabled");
            assert.strictEqual(
                rem[0].properties!.deletionProtectionDescription,
                "Turned on by the ack-kms-policies policy pack: the key may encrypt ACK Secrets.",
            );
            assert.deepStrictEqual(
                result.violations.filter((v) => v.policyName === policy),
                [],
            );
        });

        it("keeps unknowns and secrets of the key as they are (preview)", async () => {
            const result = await harness.run(
                previewPair({
                    deletionProtection: "Disabled",
                    dkmsInstanceId: unknown,
                    description: secret("bound to prod"),
                }),
                remediate,
            );
            const props = result.remediations.find((r) => r.policyName === policy)!.properties!;
            assert.strictEqual(props.arn, unknown);
            assert.strictEqual(props.dkmsInstanceId, unknown);
            assert.deepStrictEqual(props.description, secret("bound to prod"));
        });

        it("keeps a description the user wrote", async () => {
            const result = await harness.run(
                updatePair({
                    deletionProtection: "Disabled",
                    deletionProtectionDescription: "prod secrets",
                }),
                remediate,
            );
            assert.strictEqual(
                result.remediations.find((r) => r.policyName === policy)!.properties!
                    .deletionProtectionDescription,
                "prod secrets",
            );
        });

        it("does nothing to a key already protected", async () => {
            const result = await harness.run(updatePair(), remediate);
            assert.deepStrictEqual(result.remediations, []);
        });

        it("still reports what it cannot remediate, as mandatory", async () => {
            const result = await harness.run(
                updatePair({ deletionProtection: "Disabled" }, { protect: false }),
                remediate,
            );
            assert.deepStrictEqual(
                result.violations
                    .filter((v) => v.policyName === policy)
                    .map((v) => v.enforcementLevel),
                ["mandatory"],
            );
        });
    });

    describe("clusters bound by ExistingClusterEncryption", () => {
        const { encryptionLabel, external } = existingCluster;

        for (const [form, pair] of existingCluster.forms) {
            it(`passes a protected, enabled key with protect: true (${form})`, async () => {
                assert.deepStrictEqual(await run(pair()), []);
            });

            it(`rejects deletion protection turned off, naming the cluster id (${form})`, async () => {
                assert.deepStrictEqual(await run(pair({ deletionProtection: "Disabled" })), [
                    [
                        `Set deletionProtection to Enabled on this key: ${external} encrypts its Secrets with it.`,
                        k.urn,
                    ],
                ]);
            });

            it(`rejects a key without protect: true (${form})`, async () => {
                assert.deepStrictEqual(await run(pair({}, { protect: false })), [
                    [
                        `Give this key the resource option protect: true: ${external} encrypts its Secrets with it.`,
                        k.urn,
                    ],
                ]);
            });
        }

        it("rejects a key pending deletion", async () => {
            assert.deepStrictEqual(
                await run(existingCluster.updatePair({ status: "PendingDeletion" })),
                [
                    [
                        `Cancel the deletion of this key and set its status to Enabled: ${external} cannot read its Secrets without it.`,
                        k.urn,
                    ],
                ],
            );
        });

        it("gives notices, not violations, for an unknown deletionProtection or status in preview", async () => {
            assert.deepStrictEqual(
                await run(
                    existingCluster.previewPair({ deletionProtection: unknown, status: unknown }),
                ),
                [
                    [previewNotice("deletionProtection", "key secrets"), k.urn],
                    [previewNotice("status", "key secrets"), k.urn],
                ],
            );
        });

        it("names the resource when the cluster id is unknown (the component's preview)", async () => {
            assert.deepStrictEqual(
                await run(existingCluster.componentPreviewPair({ deletionProtection: "Disabled" })),
                [
                    [
                        `Set deletionProtection to Enabled on this key: the cluster of ${encryptionLabel} encrypts its Secrets with it.`,
                        k.urn,
                    ],
                ],
            );
        });

        it("matches a keyId given as the key's ARN", async () => {
            assert.deepStrictEqual(
                await run([
                    key("secrets", { deletionProtection: "Disabled" }),
                    existingClusterEncryption("prod-encryption", { keyId: keyArn() }),
                ]),
                [
                    [
                        `Set deletionProtection to Enabled on this key: ${external} encrypts its Secrets with it.`,
                        k.urn,
                    ],
                ],
            );
        });

        it("leaves a key with another id alone", async () => {
            assert.deepStrictEqual(
                await run([
                    key("other", { arn: keyArn("key-other"), deletionProtection: "Disabled" }),
                    existingClusterEncryption(),
                ]),
                [],
            );
        });

        it("follows a binding through a KeyDeletionGuard (preview)", async () => {
            const pk = previewKey("secrets", { deletionProtection: "Disabled" });
            const g = guard("guard", { keyId: unknown }, { guarding: pk });
            assert.deepStrictEqual(
                await run([
                    pk,
                    g,
                    existingClusterEncryption(
                        "prod-encryption",
                        { keyId: unknown },
                        { boundTo: g },
                    ),
                ]),
                [
                    [
                        `Set deletionProtection to Enabled on this key: ${external} encrypts its Secrets with it.`,
                        k.urn,
                    ],
                ],
            );
        });

        it("reports a key bound to a stack cluster and an external one once per cluster", async () => {
            assert.deepStrictEqual(
                await run([
                    key("secrets", { deletionProtection: "Disabled" }),
                    cluster("prod"),
                    existingClusterEncryption(),
                ]),
                [
                    [
                        "Set deletionProtection to Enabled on this key: cluster prod encrypts its Secrets with it.",
                        k.urn,
                    ],
                    [
                        `Set deletionProtection to Enabled on this key: ${external} encrypts its Secrets with it.`,
                        k.urn,
                    ],
                ],
            );
        });

        it("ignores dynamic resources that are not ExistingClusterEncryption", async () => {
            assert.deepStrictEqual(
                await run([
                    key("secrets", { deletionProtection: "Disabled" }),
                    existingClusterEncryption("other", { kind: "someone-else:Thing" }),
                ]),
                [],
            );
        });
    });
});
