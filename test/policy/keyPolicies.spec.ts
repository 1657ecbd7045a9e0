// The bound-key policies through the analyzer protocol, in update form (literal ids, arns known)
// and preview form (ids unknown, bound through propertyDependencies).
import * as assert from "assert";
import { secret } from "../../offline/analyzer";
import { resourceTypes } from "../../policy/facts";
import {
    cluster,
    guard,
    key,
    keyArn,
    keyId,
    PackHarness,
    previewKey,
    previewNotice,
    unknown,
} from "./support/stack";

describe("policy pack ack-kms-policies: bound keys", function () {
    this.timeout(120_000);
    const harness = new PackHarness();
    before(() => harness.start());
    after(() => harness.close());

    /** A key and a cluster bound to it in preview: the id is unknown, the link is a dependency. */
    const previewPair = (props: Record<string, unknown> = {}, extra = {}) => {
        const k = previewKey("secrets", props, extra);
        return [k, cluster("prod", { encryptionProviderKey: unknown }, { boundTo: k })];
    };
    /** The same pair in update form: the cluster names the key by its literal id. */
    const updatePair = (props: Record<string, unknown> = {}, extra = {}) => [
        key("secrets", props, extra),
        cluster("prod"),
    ];

    describe("kms-key-deletion-protected-while-bound", () => {
        const policy = "kms-key-deletion-protected-while-bound";
        const run = (
            resources: Parameters<typeof harness.messages>[1],
            config: Record<string, unknown> = {},
        ) => harness.messages(policy, resources, config);
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
            assert.strictEqual(
                (await run(updatePair({ deletionProtection: undefined }))).length,
                1,
            );
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
    });

    describe("kms-bound-key-present", () => {
        const policy = "kms-bound-key-present";
        const run = (
            resources: Parameters<typeof harness.messages>[1],
            config: Record<string, unknown> = {},
        ) => harness.messages(policy, resources, config);
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
    });

    describe("kms-key-symmetric-for-secrets", () => {
        const policy = "kms-key-symmetric-for-secrets";
        const run = (
            resources: Parameters<typeof harness.messages>[1],
            config: Record<string, unknown> = {},
        ) => harness.messages(policy, resources, config);
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
            assert.deepStrictEqual(
                await run(previewPair({ keySpec: unknown, keyUsage: unknown })),
                [
                    [previewNotice("keySpec", "key secrets"), k.urn],
                    [previewNotice("keyUsage", "key secrets"), k.urn],
                ],
            );
        });
    });

    describe("kms-key-same-region", () => {
        const policy = "kms-key-same-region";
        const run = (resources: Parameters<typeof harness.messages>[1]) =>
            harness.messages(policy, resources);
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
                [
                    "Bind cluster prod to a key in cn-hangzhou instead of one in ap-southeast-1.",
                    c.urn,
                ],
            ]);
        });

        it("reports nothing when the cluster's region is not set, a notice when it is unknown", async () => {
            const c = cluster("prod", {}, { region: null });
            assert.deepStrictEqual(
                await run([key("secrets", {}, { region: "cn-shanghai" }), c]),
                [],
            );
            const previewRegion = {
                ...cluster("prod"),
                provider: { ...cluster("prod").provider!, properties: { region: unknown } },
            };
            assert.deepStrictEqual(
                await run([key("secrets", {}, { region: "cn-shanghai" }), previewRegion]),
                [[previewNotice("the region (provider config)", "cluster prod"), c.urn]],
            );
        });
    });

    describe("kms-key-rotation-enabled", () => {
        const policy = "kms-key-rotation-enabled";
        const run = (
            resources: Parameters<typeof harness.messages>[1],
            config: Record<string, unknown> = {},
        ) => harness.messages(policy, resources, config);
        const k = key();
        const software = { protectionLevel: "SOFTWARE", dkmsInstanceId: "kst-hzz1234" };

        it("passes a default key rotating every 365 days", async () => {
            assert.deepStrictEqual(await run(updatePair()), []);
        });

        it("asks a default key to rotate (preview)", async () => {
            assert.deepStrictEqual(
                await run(
                    previewPair({ automaticRotation: undefined, rotationInterval: undefined }),
                ),
                [
                    [
                        "Set automaticRotation to Enabled on the key of cluster prod with a rotationInterval of at most 365d.",
                        k.urn,
                    ],
                ],
            );
        });

        it("rejects a software key rotating less often than allowed", async () => {
            assert.deepStrictEqual(
                await run(updatePair({ ...software, rotationInterval: "400d" })),
                [
                    [
                        "Set rotationInterval to at most 365d on the key of cluster prod instead of 400d.",
                        k.urn,
                    ],
                ],
            );
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
