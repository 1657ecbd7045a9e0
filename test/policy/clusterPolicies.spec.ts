// The pack's metadata and ack-secret-encryption-enabled, through the analyzer protocol.
import * as assert from "assert";
import { waiversConfigSchema } from "../../policy/waivers";
import { PolicyPackError } from "../../offline/analyzer";
import { resourceTypes } from "../../policy/facts";
import { cluster, key, PackHarness, previewNotice, unknown } from "./support/stack";

const policy = "ack-secret-encryption-enabled";
const stringList = (description: string, defaults: string[] = []) => ({
    type: "array",
    items: { type: "string", minLength: 1 },
    uniqueItems: true,
    default: defaults,
    description,
});
const enforcementLevel = {
    type: "string",
    enum: ["advisory", "mandatory", "remediate", "disabled"],
};

describe("policy pack ack-kms-policies", function () {
    this.timeout(120_000);
    const harness = new PackHarness();
    before(() => harness.start());
    after(() => harness.close());

    describe("metadata", () => {
        it("names the pack and takes its version from package.json", async () => {
            const info = await harness.pack.getAnalyzerInfo();
            assert.strictEqual(info.name, "ack-kms-policies");
            assert.strictEqual(info.version, "0.1.0");
            assert.strictEqual(info.supportsConfig, true);
        });

        it("has the eleven policies of the design with their default levels", async () => {
            await harness.pack.configure({});
            const info = await harness.pack.getAnalyzerInfo();
            assert.deepStrictEqual(
                info.policies.map((p) => [p.name, p.enforcementLevel]),
                [
                    ["ack-secret-encryption-enabled", "mandatory"],
                    ["kms-bound-key-present", "mandatory"],
                    ["kms-instance-renews-while-bound", "mandatory"],
                    ["kms-key-deletion-protected-while-bound", "mandatory"],
                    ["kms-key-policy-allows-ack-role", "mandatory"],
                    ["kms-key-rotation-enabled", "advisory"],
                    ["kms-key-same-region", "mandatory"],
                    ["kms-key-symmetric-for-secrets", "mandatory"],
                    ["ram-deny-key-destruction-attached", "advisory"],
                    ["ram-deny-update-kms-encryption-attached", "advisory"],
                    ["ram-no-allow-update-kms-encryption", "mandatory"],
                ],
            );
        });

        it("describes each policy in one sentence", async () => {
            const info = await harness.pack.getAnalyzerInfo();
            assert.deepStrictEqual(
                Object.fromEntries(info.policies.map((p) => [p.name, p.description])),
                {
                    "ack-secret-encryption-enabled":
                        "ACK managed and serverless clusters must be ACK Pro with Secret encryption by a KMS key turned on.",
                    "kms-bound-key-present":
                        "The KMS key an ACK cluster is bound to is in the stack, guarded by a KeyDeletionGuard, or listed in externalKeyIds.",
                    "kms-instance-renews-while-bound":
                        "The KMS instance (alicloud.kms.Instance) of a key bound to an ACK cluster renews automatically.",
                    "kms-key-deletion-protected-while-bound":
                        "A KMS key bound to an ACK cluster has deletion protection on, status Enabled and protect: true.",
                    "kms-key-policy-allows-ack-role":
                        "The key policy of a KMS key bound to an ACK cluster has no explicit Deny of Encrypt, Decrypt or GenerateDataKey covering AliyunCSManagedSecurityRole.",
                    "kms-key-rotation-enabled":
                        "The KMS key bound to an ACK cluster rotates automatically within maxRotationDays, where its key type allows rotation.",
                    "kms-key-same-region":
                        "The KMS key bound to an ACK cluster is in the cluster's region.",
                    "kms-key-symmetric-for-secrets":
                        "The KMS key bound to an ACK cluster is a symmetric Aliyun_AES_256 key with usage ENCRYPT/DECRYPT.",
                    "ram-deny-key-destruction-attached":
                        "Every principal a stack with a bound KMS key grants kms:DisableKey, kms:ScheduleKeyDeletion, kms:SetDeletionProtection, kms:SetKeyPolicy also has a RAM Deny of them covering that key.",
                    "ram-deny-update-kms-encryption-attached":
                        "A stack with an encrypted ACK cluster attaches a RAM Deny of cs:UpdateKMSEncryption to every principal it grants that action to, and to at least one principal.",
                    "ram-no-allow-update-kms-encryption":
                        "No custom RAM policy may allow cs:UpdateKMSEncryption, by name, wildcard or NotAction, unless it is an allow-listed break-glass policy; a policy document the pack cannot read is rejected.",
                },
            );
            for (const p of info.policies) {
                assert.strictEqual(p.description.split(". ").length, 1, p.name);
            }
        });

        it("offers config with defaults, and a configurable level on every policy", async () => {
            const info = await harness.pack.getAnalyzerInfo();
            const schemas = Object.fromEntries(info.policies.map((p) => [p.name, p.configSchema]));
            // Every policy takes waivers (policy/waivedPolicy.ts).
            const withWaivers = (
                entries: Record<string, { properties: Record<string, unknown> }>,
            ) =>
                Object.fromEntries(
                    Object.entries(entries).map(([name, schema]) => [
                        name,
                        { properties: { ...schema.properties, waivers: waiversConfigSchema } },
                    ]),
                );
            assert.deepStrictEqual(
                schemas,
                withWaivers({
                    "ack-secret-encryption-enabled": { properties: { enforcementLevel } },
                    "kms-bound-key-present": {
                        properties: {
                            externalKeyIds: stringList(
                                "KMS key ids or ARNs managed outside the stack that clusters may be bound to.",
                            ),
                            enforcementLevel,
                        },
                    },
                    "kms-instance-renews-while-bound": { properties: { enforcementLevel } },
                    "kms-key-deletion-protected-while-bound": { properties: { enforcementLevel } },
                    "kms-key-policy-allows-ack-role": {
                        properties: {
                            exemptKeys: stringList(
                                "Names of bound keys whose key policy is reviewed elsewhere (break glass); prefer a waiver with an expiry.",
                            ),
                            enforcementLevel,
                        },
                    },
                    "kms-key-rotation-enabled": {
                        properties: {
                            maxRotationDays: {
                                type: "integer",
                                minimum: 7,
                                maximum: 365,
                                default: 365,
                                description:
                                    "The longest automatic rotation interval accepted, in days.",
                            },
                            enforcementLevel,
                        },
                    },
                    "kms-key-same-region": { properties: { enforcementLevel } },
                    "kms-key-symmetric-for-secrets": {
                        properties: {
                            allowedKeySpecs: stringList(
                                "Key specs a cluster's Secret encryption key may have; ACK accepts only Aliyun_AES_256.",
                                ["Aliyun_AES_256"],
                            ),
                            enforcementLevel,
                        },
                    },
                    "ram-deny-key-destruction-attached": {
                        properties: {
                            breakGlassPrincipals: stringList(
                                'Principals allowed to hold the key-destroying KMS actions without a Deny, as "user:<name>", "role:<name>" or "group:<name>".',
                            ),
                            breakGlassPolicyNames: stringList(
                                "Custom RAM policies allowed to grant cs:UpdateKMSEncryption (break-glass access).",
                            ),
                            denyPolicyNames: stringList(
                                "Custom RAM policies managed outside the stack that deny cs:UpdateKMSEncryption.",
                            ),
                            enforcementLevel,
                        },
                    },
                    "ram-deny-update-kms-encryption-attached": {
                        properties: {
                            breakGlassPrincipals: stringList(
                                'Principals allowed to hold cs:UpdateKMSEncryption without a Deny, as "user:<name>", "role:<name>" or "group:<name>".',
                            ),
                            breakGlassPolicyNames: stringList(
                                "Custom RAM policies allowed to grant cs:UpdateKMSEncryption (break-glass access).",
                            ),
                            denyPolicyNames: stringList(
                                "Custom RAM policies managed outside the stack that deny cs:UpdateKMSEncryption.",
                            ),
                            enforcementLevel,
                        },
                    },
                    "ram-no-allow-update-kms-encryption": {
                        properties: {
                            breakGlassPolicyNames: stringList(
                                "Custom RAM policies allowed to grant cs:UpdateKMSEncryption (break-glass access).",
                            ),
                            enforcementLevel,
                        },
                    },
                }),
            );
        });

        it("sends the schema defaults in Configure", async () => {
            const sent = await harness.pack.configure({});
            assert.deepStrictEqual(sent["kms-key-rotation-enabled"], {
                enforcementLevel: "advisory",
                properties: { maxRotationDays: 365, waivers: [] },
            });
            assert.deepStrictEqual(sent["kms-key-symmetric-for-secrets"].properties, {
                allowedKeySpecs: ["Aliyun_AES_256"],
                waivers: [],
            });
        });

        it("rejects config outside the schema with the CLI's message", async () => {
            await assert.rejects(
                harness.pack.configure({
                    "kms-key-rotation-enabled": { maxRotationDays: 400 },
                    "kms-bound-key-present": { externalKeyIds: "key-1" },
                }),
                new PolicyPackError(
                    [
                        "validating policy config: ack-kms-policies 0.1.0  kms-bound-key-present: externalKeyIds: Invalid type. Expected: array, given: string",
                        "validating policy config: ack-kms-policies 0.1.0  kms-key-rotation-enabled: maxRotationDays: Must be less than or equal to 365",
                    ].join("\n"),
                ),
            );
        });
    });

    describe(policy, () => {
        const run = (...resources: Parameters<typeof harness.messages>[1]) =>
            harness.messages(policy, resources);

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
            assert.strictEqual(
                (await run(cluster("prod", { encryptionProviderKey: "" }))).length,
                1,
            );
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
    });
});
