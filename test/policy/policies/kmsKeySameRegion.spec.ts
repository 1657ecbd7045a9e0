// kms-key-same-region through the analyzer protocol, in update and preview form, for clusters of
// the stack and clusters bound by ExistingClusterEncryption.
import * as assert from "assert";
import { previewPair, updatePair } from "../support/clusterPairs";
import * as existingCluster from "../support/existingCluster";
import {
    cluster,
    existingClusterEncryption,
    guard,
    key,
    keyArn,
    keyId,
    previewNotice,
    provider,
    unknown,
    startedPack,
    policyMessages,
} from "../support/stack";

const policy = "kms-key-same-region";

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const run = policyMessages(startedPack(), policy);

    const k = key();

    it("passes a key in the cluster's region", async () => {
        assert.deepStrictEqual(await run(updatePair()), []);
    });

    it("rejects a key whose provider is in another region (preview)", async () => {
        assert.deepStrictEqual(await run(previewPair({}, { region: "cn-shanghai" })), [
            [
                "Create this key in cn-hangzhou, the region of cluster prod, instead of cn-shanghai.",
                k.urn,
            ],
        ]);
    });

    it("reads the key's region from its arn when its provider names none", async () => {
        assert.deepStrictEqual(
            await run([
                key("secrets", { arn: keyArn(keyId, "cn-beijing") }, { region: null }),
                cluster("prod", { encryptionProviderKey: keyArn(keyId, "cn-beijing") }),
            ]),
            [
                [
                    "Create this key in cn-hangzhou, the region of cluster prod, instead of cn-beijing.",
                    k.urn,
                ],
            ],
        );
    });

    it("rejects a guard for another region", async () => {
        const g = guard("guard", { regionId: "cn-shenzhen" });
        assert.deepStrictEqual(await run([g, cluster("prod")]), [
            [
                "Set regionId to cn-hangzhou, the region of cluster prod, instead of cn-shenzhen.",
                g.urn,
            ],
        ]);
    });

    it("rejects a cluster bound to an external key ARN of another region", async () => {
        const c = cluster("prod", {
            encryptionProviderKey: keyArn("key-ext", "ap-southeast-1"),
        });
        assert.deepStrictEqual(await run([c]), [
            ["Bind cluster prod to a key in cn-hangzhou instead of one in ap-southeast-1.", c.urn],
        ]);
    });

    it("reports nothing when the cluster's region is not set, a notice when it is unknown", async () => {
        const c = cluster("prod", {}, { region: null });
        assert.deepStrictEqual(await run([key("secrets", {}, { region: "cn-shanghai" }), c]), []);
        const previewRegion = {
            ...cluster("prod"),
            provider: { ...cluster("prod").provider!, properties: { region: unknown } },
        };
        assert.deepStrictEqual(
            await run([key("secrets", {}, { region: "cn-shanghai" }), previewRegion]),
            [[previewNotice("the region (provider config)", "cluster prod"), c.urn]],
        );
    });

    describe("clusters bound by ExistingClusterEncryption", () => {
        const { encryptionLabel, external } = existingCluster;
        const e = existingClusterEncryption();

        for (const [form, pair] of existingCluster.forms) {
            it(`passes a key in the resource's regionId (${form})`, async () => {
                assert.deepStrictEqual(await run(pair()), []);
            });

            it(`rejects a key outside the resource's regionId (${form})`, async () => {
                const [boundKey, encryption] = pair();
                assert.deepStrictEqual(
                    await run([
                        boundKey,
                        {
                            ...encryption,
                            properties: { ...encryption.properties, regionId: "cn-shanghai" },
                        },
                    ]),
                    [
                        [
                            `Create this key in cn-shanghai, the region of ${external}, instead of cn-hangzhou.`,
                            k.urn,
                        ],
                    ],
                );
            });
        }

        it("reads the key's region from its ARN when its provider's region is unknown", async () => {
            const elsewhere = {
                ...key("secrets", { arn: keyArn(keyId, "cn-beijing") }),
                provider: provider(unknown, "from-output"),
            };
            assert.deepStrictEqual(await run([elsewhere, existingClusterEncryption()]), [
                [
                    `Create this key in cn-hangzhou, the region of ${external}, instead of cn-beijing.`,
                    k.urn,
                ],
            ]);
        });

        it("rejects a keyId ARN of another region when the key is not in the stack", async () => {
            assert.deepStrictEqual(
                await run([
                    existingClusterEncryption("prod-encryption", {
                        keyId: keyArn("key-ext", "cn-shanghai"),
                    }),
                ]),
                [
                    [
                        `Bind ${external} to a key in cn-hangzhou instead of one in cn-shanghai.`,
                        e.urn,
                    ],
                ],
            );
        });

        it("rejects a KeyDeletionGuard that takes its keyId from the resource, in another region", async () => {
            const g = guard(
                "key-guard",
                { keyId: unknown, regionId: "cn-shanghai" },
                { propertyDependencies: { keyId: [e.urn] } },
            );
            assert.deepStrictEqual(
                await run([existingClusterEncryption("prod-encryption", { keyId: "key-ext" }), g]),
                [
                    [
                        `Set regionId to cn-hangzhou, the region of ${external}, instead of cn-shanghai.`,
                        g.urn,
                    ],
                ],
            );
        });

        it("gives a notice, not a violation, for an unknown regionId (the component's preview)", async () => {
            assert.deepStrictEqual(await run(existingCluster.componentPreviewPair()), [
                [previewNotice("regionId", encryptionLabel), e.urn],
            ]);
        });
    });
});
