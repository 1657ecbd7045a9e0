// ack-secret-encryption-enabled through the analyzer protocol: clusters of the stack, and the
// clusters ExistingClusterEncryption binds, which it leaves to the bound-key policies.
import * as assert from "assert";
import { PolicyResource } from "../../../offline/analyzer";
import { resourceTypes } from "../../../policy/facts";
import * as existingCluster from "../support/existingCluster";
import { cluster, key, previewNotice, unknown, startedPack } from "../support/stack";

const policy = "ack-secret-encryption-enabled";

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const harness = startedPack();

    const run = (...resources: PolicyResource[]) => harness.messages(policy, resources);

    it("passes an ACK Pro managed cluster with a key and encryption on", async () => {
        assert.deepStrictEqual(await run(cluster()), []);
    });

    it("passes every ack.pro.* spec, including ones newer than the list", async () => {
        for (const clusterSpec of ["ack.pro.xlarge", "ack.pro.4xlarge", "ack.pro.8xlarge"]) {
            assert.deepStrictEqual(await run(cluster("c", { clusterSpec })), [], clusterSpec);
        }
    });

    it("passes a serverless Pro cluster", async () => {
        assert.deepStrictEqual(
            await run(cluster("sls", {}, { type: resourceTypes.serverlessCluster })),
            [],
        );
    });

    it("passes in preview when the key id is unknown", async () => {
        const k = key();
        assert.deepStrictEqual(
            await run(k, cluster("prod", { encryptionProviderKey: unknown }, { boundTo: k })),
            [],
        );
    });

    it("rejects ack.standard with what to set", async () => {
        const c = cluster("prod", { clusterSpec: "ack.standard" });
        assert.deepStrictEqual(await run(c), [
            [
                'Set clusterSpec to an ack.pro.* spec instead of "ack.standard": Secret encryption with KMS needs ACK Pro.',
                c.urn,
            ],
        ]);
    });

    it("rejects a cluster without clusterSpec, whose default is not Pro", async () => {
        const c = cluster("prod", { clusterSpec: undefined });
        assert.deepStrictEqual(await run(c), [
            [
                "Set clusterSpec to an ack.pro.* spec such as ack.pro.small: Secret encryption with KMS needs ACK Pro.",
                c.urn,
            ],
        ]);
    });

    it("does not count a spec in the wrong case as Pro", async () => {
        const [[message]] = await run(cluster("prod", { clusterSpec: "ACK.PRO.SMALL" }));
        assert.ok(message.includes('instead of "ACK.PRO.SMALL"'), message);
    });

    it("rejects a serverless cluster that is not Pro", async () => {
        const c = cluster(
            "sls",
            { clusterSpec: "ack.standard" },
            { type: resourceTypes.serverlessCluster },
        );
        assert.strictEqual((await run(c)).length, 1);
    });

    it("rejects a cluster without encryptionProviderKey", async () => {
        const c = cluster("prod", { encryptionProviderKey: undefined });
        assert.deepStrictEqual(await run(c), [
            [
                "Set encryptionProviderKey to a KMS key id (with disableEncryption: false) to encrypt Secrets.",
                c.urn,
            ],
        ]);
    });

    it("rejects an empty encryptionProviderKey", async () => {
        assert.strictEqual((await run(cluster("prod", { encryptionProviderKey: "" }))).length, 1);
    });

    it("rejects disableEncryption: true even with a key", async () => {
        const c = cluster("prod", { disableEncryption: true });
        assert.deepStrictEqual(await run(c), [
            [
                "Set disableEncryption to false and keep encryptionProviderKey: Secret encryption must stay on.",
                c.urn,
            ],
        ]);
    });

    it("rejects a dedicated cluster, which cannot use KMS Secret encryption", async () => {
        const c = cluster("old", {}, { type: resourceTypes.dedicatedCluster });
        assert.deepStrictEqual(await run(c), [
            [
                "Replace this dedicated cluster with an ACK Pro managed cluster (alicloud.cs.ManagedKubernetes): dedicated clusters cannot use KMS Secret encryption.",
                c.urn,
            ],
        ]);
    });

    it("gives notices, not violations, for an unknown spec and disableEncryption in preview", async () => {
        const c = cluster("prod", {
            clusterSpec: unknown,
            disableEncryption: unknown,
            encryptionProviderKey: unknown,
        });
        assert.deepStrictEqual(await run(c), [
            [previewNotice("clusterSpec", "cluster prod"), c.urn],
            [previewNotice("disableEncryption", "cluster prod"), c.urn],
        ]);
    });

    it("reports each problem of one cluster", async () => {
        const messages = await run(
            cluster("prod", { clusterSpec: "ack.standard", encryptionProviderKey: undefined }),
        );
        assert.strictEqual(messages.length, 2);
    });

    it("ignores resources that are not clusters", async () => {
        assert.deepStrictEqual(await run(key()), []);
    });

    it("does not throw on odd input such as a numeric key id", async () => {
        const c = cluster("prod", {
            encryptionProviderKey: 42,
            clusterSpec: ["ack.pro.small"],
        });
        const messages = await run(c);
        assert.strictEqual(messages.length, 2);
    });

    it("can be disabled by config", async () => {
        const { violations } = await harness.run(
            [cluster("prod", { clusterSpec: "ack.standard" })],
            {
                [policy]: "disabled",
            },
        );
        assert.strictEqual(violations.filter((v) => v.policyName === policy).length, 0);
    });

    it("can be made advisory by config", async () => {
        const { violations } = await harness.run(
            [cluster("prod", { clusterSpec: "ack.standard" })],
            {
                [policy]: { enforcementLevel: "advisory" },
            },
        );
        assert.deepStrictEqual(
            violations.filter((v) => v.policyName === policy).map((v) => v.enforcementLevel),
            ["advisory"],
        );
    });

    describe("clusters bound by ExistingClusterEncryption", () => {
        for (const [form, pair] of existingCluster.forms) {
            it(`asks nothing of the external cluster (${form})`, async () => {
                assert.deepStrictEqual(await run(...pair()), []);
            });
        }

        it("still judges the stack's own clusters next to an ExistingClusterEncryption", async () => {
            const plain = cluster("plain", { encryptionProviderKey: "" });
            assert.deepStrictEqual(await run(...existingCluster.updatePair(), plain), [
                [
                    "Set encryptionProviderKey to a KMS key id (with disableEncryption: false) to encrypt Secrets.",
                    plain.urn,
                ],
            ]);
        });
    });
});
