// kms-bound-key-present through the analyzer protocol, in update and preview form, for clusters of
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
    unknown,
    urnOf,
    startedPack,
    policyMessages,
} from "../support/stack";

const policy = "kms-bound-key-present";

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const run = policyMessages(startedPack(), policy);

    const missing = (id: string) =>
        `Keep KMS key "${id}" in the stack, guard it with a KeyDeletionGuard, or list it in externalKeyIds: cluster prod cannot read its Secrets without it.`;

    it("passes a key bound through propertyDependencies (preview)", async () => {
        assert.deepStrictEqual(await run(previewPair()), []);
    });

    it("passes a key found by its arn (update)", async () => {
        assert.deepStrictEqual(await run(updatePair()), []);
    });

    it("passes a key guarded by a KeyDeletionGuard", async () => {
        assert.deepStrictEqual(await run([guard("guard", {}), cluster("prod")]), []);
    });

    it("passes a key listed in externalKeyIds", async () => {
        assert.deepStrictEqual(
            await run([cluster("prod")], { [policy]: { externalKeyIds: [keyId] } }),
            [],
        );
    });

    it("matches externalKeyIds given as ARNs", async () => {
        assert.deepStrictEqual(
            await run([cluster("prod")], { [policy]: { externalKeyIds: [keyArn()] } }),
            [],
        );
    });

    it("reports a cluster bound to a key removed from the program", async () => {
        const c = cluster("prod");
        assert.deepStrictEqual(await run([key("other", { arn: keyArn("key-other") }), c]), [
            [missing(keyId), c.urn],
        ]);
    });

    it("does not count a dynamic resource without the guard marker", async () => {
        const notGuard = { ...guard("guard", {}), properties: { keyId } };
        assert.strictEqual((await run([notGuard, cluster("prod")])).length, 1);
    });

    it("gives a notice, not a violation, when the key id is unknown and unlinked in preview", async () => {
        const c = cluster("prod", { encryptionProviderKey: unknown });
        assert.deepStrictEqual(await run([c]), [
            [previewNotice("the KMS key (encryptionProviderKey)", "cluster prod"), c.urn],
        ]);
    });

    it("asks nothing of a cluster with encryption disabled", async () => {
        assert.deepStrictEqual(await run([cluster("prod", { disableEncryption: true })]), []);
    });

    it("names the ARN the cluster uses", async () => {
        const c = cluster("prod", { encryptionProviderKey: keyArn("key-gone") });
        assert.deepStrictEqual(await run([c]), [[missing(keyArn("key-gone")), c.urn]]);
    });

    describe("clusters bound by ExistingClusterEncryption", () => {
        const { encryptionLabel, external } = existingCluster;
        const e = existingClusterEncryption();

        const missingExternal = (id: string) =>
            `Keep KMS key "${id}" in the stack, guard it with a KeyDeletionGuard, or list it in externalKeyIds: ${external} cannot read its Secrets without it.`;

        for (const [form, pair] of existingCluster.forms) {
            it(`passes a key of the stack (${form})`, async () => {
                assert.deepStrictEqual(await run(pair()), []);
            });
        }

        it("rejects a key found nowhere in the stack, on the ExistingClusterEncryption", async () => {
            assert.deepStrictEqual(
                await run([existingClusterEncryption("prod-encryption", { keyId: "key-gone" })]),
                [[missingExternal("key-gone"), e.urn]],
            );
        });

        it("rejects a keyId that only a key of another id is near", async () => {
            assert.deepStrictEqual(
                await run([
                    key("other", { arn: keyArn("key-other") }),
                    existingClusterEncryption("prod-encryption", { keyId: "key-gone" }),
                ]),
                [[missingExternal("key-gone"), e.urn]],
            );
        });

        it("passes an external key listed in externalKeyIds, by id or by ARN", async () => {
            const encryption = existingClusterEncryption("prod-encryption", { keyId: "key-ext" });
            const externalKeyIds = (ids: string[]) => ({
                "kms-bound-key-present": { externalKeyIds: ids },
            });
            assert.deepStrictEqual(await run([encryption], externalKeyIds(["key-ext"])), []);
            assert.deepStrictEqual(
                await run([encryption], externalKeyIds([keyArn("key-ext")])),
                [],
            );
            assert.deepStrictEqual(await run([encryption], externalKeyIds(["key-other"])), [
                [missingExternal("key-ext"), e.urn],
            ]);
        });

        it("passes a key guarded by a KeyDeletionGuard with the same keyId", async () => {
            assert.deepStrictEqual(
                await run([
                    existingClusterEncryption("prod-encryption", { keyId: "key-ext" }),
                    guard("key-guard", { keyId: "key-ext" }),
                ]),
                [],
            );
        });

        it("passes a key guarded by a KeyDeletionGuard fed by the resource (preview)", async () => {
            // examples/existing-cluster with a key from config: the guard's keyId is the
            // resource's output, unknown in preview.
            assert.deepStrictEqual(
                await run([
                    existingClusterEncryption("prod-encryption", { keyId: "key-ext" }),
                    guard(
                        "key-guard",
                        { keyId: unknown },
                        { propertyDependencies: { keyId: [e.urn] } },
                    ),
                ]),
                [],
            );
        });

        it("gives a notice, not a violation, for an unknown keyId no propertyDependencies link to a key", async () => {
            assert.deepStrictEqual(
                await run([
                    existingClusterEncryption(
                        "prod-encryption",
                        { keyId: unknown },
                        {
                            propertyDependencies: {
                                keyId: [urnOf("pulumi:pulumi:StackReference", "keys")],
                            },
                        },
                    ),
                ]),
                [[previewNotice("the KMS key (keyId)", encryptionLabel), e.urn]],
            );
        });

        it("passes the component's preview with a new key", async () => {
            assert.deepStrictEqual(await run(existingCluster.componentPreviewPair()), []);
        });
    });
});
