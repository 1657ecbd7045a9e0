// Clusters created outside the stack, bound to a key by an ExistingClusterEncryption dynamic
// resource, through the analyzer protocol: the bound-key policies hold its key to the same rules as
// a cluster's, in update form (literal key id) and preview form (key id unknown, linked through
// propertyDependencies).
import * as assert from "assert";
import { PolicyResource } from "../../offline/analyzer";
import {
    attach,
    cluster,
    denyStatement,
    document,
    existingClusterEncryption,
    externalClusterId,
    guard,
    key,
    keyArn,
    keyId,
    PackHarness,
    previewKey,
    previewNotice,
    provider,
    ramPolicy,
    unknown,
    urnOf,
} from "./support/stack";

const external = `cluster ${externalClusterId}`;
const encryptionLabel = "existing cluster encryption prod-encryption";
const k = key();
const e = existingClusterEncryption();

/** Update form: the resource names the key by its literal id, which ends the key's arn. */
const updatePair = (keyProps: Record<string, unknown> = {}, keyExtra = {}) => [
    key("secrets", keyProps, keyExtra),
    existingClusterEncryption(),
];

/** Preview form: the key is new, so its id is unknown; propertyDependencies of keyId link it. */
const previewPair = (keyProps: Record<string, unknown> = {}, keyExtra = {}) => {
    const pk = previewKey("secrets", keyProps, keyExtra);
    return [pk, existingClusterEncryption("prod-encryption", { keyId: unknown }, { boundTo: pk })];
};

/**
 * Preview as the component declares it with a new key: clusterId, keyId and regionId all pass
 * through one validating apply, so all three are unknown and depend on the key.
 */
const componentPreviewPair = (keyProps: Record<string, unknown> = {}) => {
    const pk = previewKey("secrets", keyProps);
    const fromKey = [pk.urn];
    return [
        pk,
        existingClusterEncryption(
            "prod-encryption",
            { clusterId: unknown, keyId: unknown, regionId: unknown },
            { propertyDependencies: { clusterId: fromKey, keyId: fromKey, regionId: fromKey } },
        ),
    ];
};

const forms = [
    ["update", updatePair],
    ["preview", previewPair],
] as const;

describe("policy pack ack-kms-policies: clusters bound by ExistingClusterEncryption", function () {
    this.timeout(120_000);
    const harness = new PackHarness();
    before(() => harness.start());
    after(() => harness.close());

    const messagesOf =
        (policy: string) =>
        (resources: PolicyResource[], config: Record<string, unknown> = {}) =>
            harness.messages(policy, resources, config);

    describe("kms-key-deletion-protected-while-bound", () => {
        const run = messagesOf("kms-key-deletion-protected-while-bound");

        for (const [form, pair] of forms) {
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
            assert.deepStrictEqual(await run(updatePair({ status: "PendingDeletion" })), [
                [
                    `Cancel the deletion of this key and set its status to Enabled: ${external} cannot read its Secrets without it.`,
                    k.urn,
                ],
            ]);
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

        it("names the resource when the cluster id is unknown (the component's preview)", async () => {
            assert.deepStrictEqual(
                await run(componentPreviewPair({ deletionProtection: "Disabled" })),
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

    describe("kms-key-symmetric-for-secrets", () => {
        const run = messagesOf("kms-key-symmetric-for-secrets");

        for (const [form, pair] of forms) {
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
            assert.deepStrictEqual(await run(previewPair({ keySpec: unknown })), [
                [previewNotice("keySpec", "key secrets"), k.urn],
            ]);
        });
    });

    describe("kms-key-same-region", () => {
        const run = messagesOf("kms-key-same-region");

        for (const [form, pair] of forms) {
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
            assert.deepStrictEqual(await run(componentPreviewPair()), [
                [previewNotice("regionId", encryptionLabel), e.urn],
            ]);
        });
    });

    describe("kms-key-rotation-enabled", () => {
        const run = messagesOf("kms-key-rotation-enabled");

        for (const [form, pair] of forms) {
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
            assert.deepStrictEqual(await run(previewPair({ automaticRotation: unknown })), [
                [previewNotice("automaticRotation", "key secrets"), k.urn],
            ]);
        });
    });

    describe("kms-bound-key-present", () => {
        const run = messagesOf("kms-bound-key-present");
        const missing = (id: string) =>
            `Keep KMS key "${id}" in the stack, guard it with a KeyDeletionGuard, or list it in externalKeyIds: ${external} cannot read its Secrets without it.`;

        for (const [form, pair] of forms) {
            it(`passes a key of the stack (${form})`, async () => {
                assert.deepStrictEqual(await run(pair()), []);
            });
        }

        it("rejects a key found nowhere in the stack, on the ExistingClusterEncryption", async () => {
            assert.deepStrictEqual(
                await run([existingClusterEncryption("prod-encryption", { keyId: "key-gone" })]),
                [[missing("key-gone"), e.urn]],
            );
        });

        it("rejects a keyId that only a key of another id is near", async () => {
            assert.deepStrictEqual(
                await run([
                    key("other", { arn: keyArn("key-other") }),
                    existingClusterEncryption("prod-encryption", { keyId: "key-gone" }),
                ]),
                [[missing("key-gone"), e.urn]],
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
                [missing("key-ext"), e.urn],
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
            assert.deepStrictEqual(await run(componentPreviewPair()), []);
        });
    });

    describe("ram-deny-update-kms-encryption-attached", () => {
        const run = messagesOf("ram-deny-update-kms-encryption-attached");
        const noDenyMessage =
            "Attach a RAM policy that denies cs:UpdateKMSEncryption to the users, roles or groups that manage this cluster (DenyKmsEncryptionUpdates does it).";
        const denyPolicy = ramPolicy("deny-kms-updates", {
            policyDocument: document(denyStatement),
        });

        for (const [form, pair] of forms) {
            it(`counts the external cluster as encrypted: asks for a Deny (${form})`, async () => {
                assert.deepStrictEqual(await run(pair()), [[noDenyMessage, e.urn]]);
            });

            it(`passes with a Deny attached to a role (${form})`, async () => {
                assert.deepStrictEqual(
                    await run([...pair(), denyPolicy, attach("role", "ops", "deny-kms-updates")]),
                    [],
                );
            });
        }
    });

    describe("ack-secret-encryption-enabled", () => {
        const run = messagesOf("ack-secret-encryption-enabled");

        for (const [form, pair] of forms) {
            it(`asks nothing of the external cluster (${form})`, async () => {
                assert.deepStrictEqual(await run(pair()), []);
            });
        }

        it("still judges the stack's own clusters next to an ExistingClusterEncryption", async () => {
            const plain = cluster("plain", { encryptionProviderKey: "" });
            assert.deepStrictEqual(await run([...updatePair(), plain]), [
                [
                    "Set encryptionProviderKey to a KMS key id (with disableEncryption: false) to encrypt Secrets.",
                    plain.urn,
                ],
            ]);
        });
    });

    it("gives only a notice, no violation, for the component's preview with a new key", async () => {
        const { violations } = await harness.run([
            ...componentPreviewPair(),
            ramPolicy("deny-kms-updates", { policyDocument: document(denyStatement) }),
            attach("role", "ops", "deny-kms-updates"),
        ]);
        assert.deepStrictEqual(
            violations.map((v) => [v.policyName, v.enforcementLevel, v.urn]),
            [["kms-key-same-region", "advisory", e.urn]],
        );
    });
});
