// kms-key-symmetric-for-secrets through the analyzer protocol, in update and preview form, for
// clusters of the stack and clusters bound by ExistingClusterEncryption.
import * as assert from "assert";
import { previewPair, updatePair } from "../support/clusterPairs";
import * as existingCluster from "../support/existingCluster";
import { key, previewNotice, unknown, startedPack, policyMessages } from "../support/stack";

const policy = "kms-key-symmetric-for-secrets";

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const run = policyMessages(startedPack(), policy);

    const k = key();

    it("passes the defaults (Aliyun_AES_256, ENCRYPT/DECRYPT) when unset", async () => {
        assert.deepStrictEqual(
            await run(updatePair({ keySpec: undefined, keyUsage: undefined })),
            [],
        );
    });

    it("rejects another symmetric spec (preview)", async () => {
        assert.deepStrictEqual(await run(previewPair({ keySpec: "Aliyun_AES_128" })), [
            [
                "Use key spec Aliyun_AES_256 instead of Aliyun_AES_128 for the key of cluster prod: ACK encrypts Secrets only with symmetric AES-256 keys.",
                k.urn,
            ],
        ]);
    });

    it("rejects an asymmetric signing key with both problems", async () => {
        assert.deepStrictEqual(
            await run(updatePair({ keySpec: "RSA_2048", keyUsage: "SIGN/VERIFY" })),
            [
                [
                    "Use key spec Aliyun_AES_256 instead of RSA_2048 for the key of cluster prod: ACK encrypts Secrets only with symmetric AES-256 keys.",
                    k.urn,
                ],
                [
                    "Set keyUsage to ENCRYPT/DECRYPT instead of SIGN/VERIFY for the key of cluster prod.",
                    k.urn,
                ],
            ],
        );
    });

    it("accepts the specs configured in allowedKeySpecs", async () => {
        const config = { [policy]: { allowedKeySpecs: ["Aliyun_AES_256", "Aliyun_SM4"] } };
        assert.deepStrictEqual(await run(updatePair({ keySpec: "Aliyun_SM4" }), config), []);
        const [[message]] = await run(updatePair({ keySpec: "Aliyun_AES_128" }), config);
        assert.ok(
            message.startsWith("Use key spec Aliyun_AES_256 or Aliyun_SM4 instead of"),
            message,
        );
    });

    it("gives notices, not violations, for an unknown spec and usage in preview", async () => {
        assert.deepStrictEqual(await run(previewPair({ keySpec: unknown, keyUsage: unknown })), [
            [previewNotice("keySpec", "key secrets"), k.urn],
            [previewNotice("keyUsage", "key secrets"), k.urn],
        ]);
    });

    describe("clusters bound by ExistingClusterEncryption", () => {
        const { external } = existingCluster;

        for (const [form, pair] of existingCluster.forms) {
            it(`passes an Aliyun_AES_256 ENCRYPT/DECRYPT key (${form})`, async () => {
                assert.deepStrictEqual(await run(pair()), []);
            });

            it(`rejects another key spec and usage, naming the cluster id (${form})`, async () => {
                assert.deepStrictEqual(
                    await run(pair({ keySpec: "RSA_2048", keyUsage: "SIGN/VERIFY" })),
                    [
                        [
                            `Use key spec Aliyun_AES_256 instead of RSA_2048 for the key of ${external}: ACK encrypts Secrets only with symmetric AES-256 keys.`,
                            k.urn,
                        ],
                        [
                            `Set keyUsage to ENCRYPT/DECRYPT instead of SIGN/VERIFY for the key of ${external}.`,
                            k.urn,
                        ],
                    ],
                );
            });
        }

        it("gives a notice, not a violation, for an unknown keySpec in preview", async () => {
            assert.deepStrictEqual(await run(existingCluster.previewPair({ keySpec: unknown })), [
                [previewNotice("keySpec", "key secrets"), k.urn],
            ]);
        });
    });
});
