// The pack as a whole, through the analyzer protocol: its metadata and config schema, and that no
// policy throws on odd input (each policy's own rules are in policies/<policy>.spec.ts).
import * as assert from "assert";
import { PolicyPackError } from "../../offline/analyzer";
import { resourceTypes } from "../../policy/facts";
import { waiversConfigSchema } from "../../policy/waivers";
import { cluster, guard, key, startedPack } from "./support/stack";

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
    const harness = startedPack();

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

    describe("policies never throw", () => {
        it("survives odd values in every property a policy reads", async () => {
            const odd = {
                arn: 7,
                keySpec: { nested: true },
                keyUsage: [],
                status: null,
                deletionProtection: 1,
                automaticRotation: false,
                rotationInterval: 365,
                protectionLevel: 3,
                dkmsInstanceId: {},
            };
            const k = key("secrets", odd);
            const c = cluster("prod", { encryptionProviderKey: ["x"] }, { boundTo: k });
            const g = {
                ...guard("guard", { keyId: 5, regionId: [] }),
                type: resourceTypes.dynamicResource,
            };
            const result = await harness.run([k, c, g], { all: "remediate" });
            assert.ok(Array.isArray(result.violations));
        });
    });
});
