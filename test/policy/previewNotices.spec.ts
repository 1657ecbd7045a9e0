// Over 400 lines: one table of notice cases across the policies, each run in preview and update form.
// Preview notices through the analyzer protocol: when a value that decides a binding or encryption
// check is unknown in preview, the pack says what it could not check, as an advisory notice, never
// a violation; the same stack in update form gets the real verdict and no notice.
import * as assert from "assert";
import { PolicyAnalysis, PolicyResource } from "../../offline/analyzer";
import {
    attach,
    cluster,
    denyStatement,
    document,
    existingClusterEncryption,
    guard,
    key,
    keyArn,
    PackHarness,
    previewKey,
    previewNotice,
    provider,
    ramPolicy,
    role,
    unknown,
    urnOf,
} from "./support/stack";
import * as existingCluster from "./support/existingCluster";

const noticePrefix = "Could not check ";

/** [policy, level, message, urn] of every notice of the analysis. */
function noticesOf(analysis: PolicyAnalysis): Array<[string, string, string, string | undefined]> {
    return analysis.violations
        .filter((v) => v.message.startsWith(noticePrefix))
        .map((v) => [v.policyName, v.enforcementLevel, v.message, v.urn]);
}

/** The resource with its provider's region unknown, as when it comes from another resource. */
function withUnknownRegion(resource: PolicyResource): PolicyResource {
    return { ...resource, provider: provider(unknown, "from-output") };
}

/** The resource in update form with its provider in `region`. */
function inRegion(resource: PolicyResource, region: string): PolicyResource {
    return { ...resource, provider: provider(region, `in-${region}`) };
}

interface NoticeCase {
    title: string;
    policy: string;
    config?: Record<string, unknown>;
    preview: () => PolicyResource[];
    /** what, resource, urn, and the policy when another one than `policy` */
    notices: Array<[string, string, string, string?]>;
    update: () => PolicyResource[];
    /** the policy's messages in update form: [message, urn] */
    verdict: Array<[string, string]>;
}

const k = key();
const c = cluster();
const previewBound = (props: Record<string, unknown> = {}) => {
    const pk = previewKey("secrets", props);
    return [pk, cluster("prod", { encryptionProviderKey: unknown }, { boundTo: pk })];
};
const updateBound = (props: Record<string, unknown> = {}) => [key("secrets", props), cluster()];
const g = guard("secrets-guard", {});
const ops = ramPolicy("ops", {});
const denyPolicy = ramPolicy("deny-kms-updates", {});
const adminDeny = attach("role", "admin", "deny-kms-updates");
const unknownRole = attach("role", unknown, "AdministratorAccess", "System", {
    propertyDependencies: { roleName: [urnOf("pulumi:pulumi:StackReference", "org")] },
});

const cases: NoticeCase[] = [
    {
        title: "an unknown clusterSpec",
        policy: "ack-secret-encryption-enabled",
        preview: () => [k, cluster("prod", { clusterSpec: unknown })],
        notices: [["clusterSpec", "cluster prod", c.urn]],
        update: () => [k, cluster("prod", { clusterSpec: "ack.standard" })],
        verdict: [
            [
                'Set clusterSpec to an ack.pro.* spec instead of "ack.standard": Secret encryption with KMS needs ACK Pro.',
                c.urn,
            ],
        ],
    },
    {
        title: "an unknown disableEncryption",
        policy: "ack-secret-encryption-enabled",
        preview: () => [k, cluster("prod", { disableEncryption: unknown })],
        notices: [["disableEncryption", "cluster prod", c.urn]],
        update: () => [k, cluster("prod", { disableEncryption: true })],
        verdict: [
            [
                "Set disableEncryption to false and keep encryptionProviderKey: Secret encryption must stay on.",
                c.urn,
            ],
        ],
    },
    {
        title: "an unknown key id that no propertyDependencies link to a key",
        policy: "kms-bound-key-present",
        preview: () => [cluster("prod", { encryptionProviderKey: unknown })],
        notices: [["the KMS key (encryptionProviderKey)", "cluster prod", c.urn]],
        update: () => [cluster("prod", { encryptionProviderKey: "key-gone" })],
        verdict: [
            [
                'Keep KMS key "key-gone" in the stack, guard it with a KeyDeletionGuard, or list it in externalKeyIds: cluster prod cannot read its Secrets without it.',
                c.urn,
            ],
        ],
    },
    {
        title: "an unknown key id linked only to a resource that is not a key",
        policy: "kms-bound-key-present",
        preview: () => [
            cluster(
                "prod",
                { encryptionProviderKey: unknown },
                {
                    propertyDependencies: {
                        encryptionProviderKey: [urnOf("pulumi:pulumi:StackReference", "keys")],
                    },
                },
            ),
        ],
        notices: [["the KMS key (encryptionProviderKey)", "cluster prod", c.urn]],
        update: () => [cluster("prod", { encryptionProviderKey: "key-gone" })],
        verdict: [
            [
                'Keep KMS key "key-gone" in the stack, guard it with a KeyDeletionGuard, or list it in externalKeyIds: cluster prod cannot read its Secrets without it.',
                c.urn,
            ],
        ],
    },
    {
        title: "an unknown deletionProtection of a bound key",
        policy: "kms-key-deletion-protected-while-bound",
        preview: () => previewBound({ deletionProtection: unknown }),
        notices: [["deletionProtection", "key secrets", k.urn]],
        update: () => updateBound({ deletionProtection: "Disabled" }),
        verdict: [
            [
                "Set deletionProtection to Enabled on this key: cluster prod encrypts its Secrets with it.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown status of a bound key",
        policy: "kms-key-deletion-protected-while-bound",
        preview: () => previewBound({ status: unknown }),
        notices: [["status", "key secrets", k.urn]],
        update: () => updateBound({ status: "PendingDeletion" }),
        verdict: [
            [
                "Cancel the deletion of this key and set its status to Enabled: cluster prod cannot read its Secrets without it.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown keySpec of a bound key",
        policy: "kms-key-symmetric-for-secrets",
        preview: () => previewBound({ keySpec: unknown }),
        notices: [["keySpec", "key secrets", k.urn]],
        update: () => updateBound({ keySpec: "RSA_2048" }),
        verdict: [
            [
                "Use key spec Aliyun_AES_256 instead of RSA_2048 for the key of cluster prod: ACK encrypts Secrets only with symmetric AES-256 keys.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown keyUsage of a bound key",
        policy: "kms-key-symmetric-for-secrets",
        preview: () => previewBound({ keyUsage: unknown }),
        notices: [["keyUsage", "key secrets", k.urn]],
        update: () => updateBound({ keyUsage: "SIGN/VERIFY" }),
        verdict: [
            [
                "Set keyUsage to ENCRYPT/DECRYPT instead of SIGN/VERIFY for the key of cluster prod.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown automaticRotation of a bound key",
        policy: "kms-key-rotation-enabled",
        preview: () => previewBound({ automaticRotation: unknown }),
        notices: [["automaticRotation", "key secrets", k.urn]],
        update: () => updateBound({ automaticRotation: "Disabled" }),
        verdict: [
            [
                "Set automaticRotation to Enabled on the key of cluster prod with a rotationInterval of at most 365d.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown rotationInterval of a bound key",
        policy: "kms-key-rotation-enabled",
        preview: () => previewBound({ rotationInterval: unknown }),
        notices: [["rotationInterval", "key secrets", k.urn]],
        update: () => updateBound({ rotationInterval: "400d" }),
        verdict: [
            [
                "Set rotationInterval to at most 365d on the key of cluster prod instead of 400d.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown protectionLevel of a bound key (HSM keys do not rotate)",
        policy: "kms-key-rotation-enabled",
        preview: () => previewBound({ protectionLevel: unknown, automaticRotation: "Disabled" }),
        notices: [["protectionLevel", "key secrets", k.urn]],
        update: () => updateBound({ protectionLevel: "SOFTWARE", automaticRotation: "Disabled" }),
        verdict: [
            [
                "Set automaticRotation to Enabled on the key of cluster prod with a rotationInterval of at most 365d.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown region of a cluster",
        policy: "kms-key-same-region",
        preview: () => {
            const [pk, pc] = previewBound();
            return [pk, withUnknownRegion(pc)];
        },
        notices: [["the region (provider config)", "cluster prod", c.urn]],
        update: () => [k, inRegion(c, "cn-shanghai")],
        verdict: [
            [
                "Create this key in cn-shanghai, the region of cluster prod, instead of cn-hangzhou.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown region of a bound key whose arn is unknown too",
        policy: "kms-key-same-region",
        preview: () => {
            const [pk, pc] = previewBound();
            return [withUnknownRegion(pk), pc];
        },
        notices: [["the region (provider config)", "key secrets", k.urn]],
        update: () => [
            inRegion(key("secrets", { arn: keyArn(undefined, "cn-shanghai") }), "cn-shanghai"),
            c,
        ],
        verdict: [
            [
                "Create this key in cn-hangzhou, the region of cluster prod, instead of cn-shanghai.",
                k.urn,
            ],
        ],
    },
    {
        title: "an unknown regionId of a KeyDeletionGuard",
        policy: "kms-key-same-region",
        preview: () => [cluster(), guard("secrets-guard", { regionId: unknown })],
        notices: [["regionId", "key deletion guard secrets-guard", g.urn]],
        update: () => [cluster(), guard("secrets-guard", { regionId: "cn-beijing" })],
        verdict: [
            [
                "Set regionId to cn-hangzhou, the region of cluster prod, instead of cn-beijing.",
                g.urn,
            ],
        ],
    },
    {
        title: "an unknown RAM policy document",
        policy: "ram-no-allow-update-kms-encryption",
        preview: () => [ramPolicy("ops", { policyDocument: unknown })],
        notices: [["the policy document", "RAM policy ops", ops.urn]],
        update: () => [
            ramPolicy("ops", {
                policyDocument: document({ Effect: "Allow", Action: "cs:*", Resource: "*" }),
            }),
        ],
        verdict: [
            [
                'Remove cs:UpdateKMSEncryption from the policy\'s Allow statements (Action "cs:*"), or list the policy in breakGlassPolicyNames.',
                ops.urn,
            ],
        ],
    },
    {
        title: "an unknown name of a granting RAM policy while break-glass names are configured",
        policy: "ram-no-allow-update-kms-encryption",
        config: {
            "ram-no-allow-update-kms-encryption": { breakGlassPolicyNames: ["break-glass"] },
        },
        preview: () => [
            ramPolicy("ops", {
                policyName: unknown,
                policyDocument: document({ Effect: "Allow", Action: "*", Resource: "*" }),
            }),
        ],
        notices: [["the policy name", "RAM policy ops", ops.urn]],
        update: () => [
            ramPolicy("ops", {
                policyDocument: document({ Effect: "Allow", Action: "*", Resource: "*" }),
            }),
        ],
        verdict: [
            [
                'Remove cs:UpdateKMSEncryption from the policy\'s Allow statements (Action "*"), or list the policy in breakGlassPolicyNames.',
                ops.urn,
            ],
        ],
    },
    {
        title: "an unknown Deny document attached to a principal holding the action",
        policy: "ram-deny-update-kms-encryption-attached",
        preview: () => [
            ramPolicy("deny-kms-updates", { policyDocument: unknown }),
            attach("role", "admin", "AdministratorAccess", "System"),
            adminDeny,
        ],
        notices: [
            [
                "the policy document",
                "RAM policy deny-kms-updates",
                denyPolicy.urn,
                "ram-no-allow-update-kms-encryption",
            ],
            ["the policy", `attachment ${adminDeny.name}`, adminDeny.urn],
        ],
        update: () => [
            ramPolicy("deny-kms-updates", {
                policyDocument: document({ ...denyStatement, Action: "ecs:*" }),
            }),
            attach("role", "admin", "AdministratorAccess", "System"),
            adminDeny,
        ],
        verdict: [
            [
                "Attach a policy that denies cs:UpdateKMSEncryption to role:admin, which AdministratorAccess grants it, or list it in breakGlassPrincipals.",
                attach("role", "admin", "AdministratorAccess", "System").urn,
            ],
        ],
    },
    {
        title: "an unknown Deny document in a stack with an encrypted cluster",
        policy: "ram-deny-update-kms-encryption-attached",
        preview: () => [
            k,
            c,
            ramPolicy("deny-kms-updates", { policyDocument: unknown }),
            adminDeny,
        ],
        notices: [
            [
                "the policy document",
                "RAM policy deny-kms-updates",
                denyPolicy.urn,
                "ram-no-allow-update-kms-encryption",
            ],
            ["the policy", `attachment ${adminDeny.name}`, adminDeny.urn],
            // An unknown document may also grant the key-destroying actions.
            [
                "the policy",
                `attachment ${adminDeny.name}`,
                adminDeny.urn,
                "ram-deny-key-destruction-attached",
            ],
        ],
        update: () => [
            k,
            c,
            ramPolicy("deny-kms-updates", {
                policyDocument: document({ ...denyStatement, Action: "ecs:*" }),
            }),
            adminDeny,
        ],
        verdict: [
            [
                "Attach a RAM policy that denies cs:UpdateKMSEncryption to the users, roles or groups that manage this cluster (DenyKmsEncryptionUpdates does it).",
                c.urn,
            ],
        ],
    },
    {
        title: "an unknown principal granted the action",
        policy: "ram-deny-update-kms-encryption-attached",
        preview: () => [unknownRole],
        notices: [["the principal", `attachment ${unknownRole.name}`, unknownRole.urn]],
        update: () => [
            { ...unknownRole, properties: { ...unknownRole.properties, roleName: "admin" } },
        ],
        verdict: [
            [
                "Attach a policy that denies cs:UpdateKMSEncryption to role:admin, which AdministratorAccess grants it, or list it in breakGlassPrincipals.",
                unknownRole.urn,
            ],
        ],
    },
];

describe("policy pack ack-kms-policies: preview notices", function () {
    this.timeout(120_000);
    const preview = new PackHarness();
    const update = new PackHarness();
    before(() => Promise.all([preview.start(true), update.start(false)]));
    after(() => Promise.all([preview.close(), update.close()]));

    for (const nc of cases) {
        describe(nc.title, () => {
            it("gives an advisory notice and no mandatory violation in preview", async () => {
                const analysis = await preview.run(nc.preview(), nc.config);
                assert.deepStrictEqual(
                    noticesOf(analysis),
                    nc.notices.map(([what, resource, urn, policy]) => [
                        policy ?? nc.policy,
                        "advisory",
                        previewNotice(what, resource),
                        urn,
                    ]),
                );
                assert.deepStrictEqual(
                    analysis.violations.filter((v) => v.enforcementLevel === "mandatory"),
                    [],
                );
            });

            it("gives the real verdict and no notice in update form", async () => {
                const analysis = await update.run(nc.update(), nc.config);
                assert.deepStrictEqual(noticesOf(analysis), []);
                assert.deepStrictEqual(
                    await update.messages(nc.policy, nc.update(), nc.config),
                    nc.verdict,
                );
            });
        });
    }

    describe("the normal preview bindings", () => {
        /** A stack as `pulumi preview` sees it when everything is new: ids unknown, linked by dependencies. */
        const previewStack = () => {
            const pk = previewKey("secrets");
            const pc = cluster("prod", { encryptionProviderKey: unknown }, { boundTo: pk });
            const pg = guard("secrets-guard", { keyId: unknown }, { guarding: pk });
            const deny = ramPolicy("deny-kms-updates", { policyDocument: document(denyStatement) });
            const operators = role("operators");
            const attachment = attach("role", unknown, unknown, "Custom", {
                propertyDependencies: { roleName: [operators.urn], policyName: [deny.urn] },
            });
            return [pk, pc, pg, deny, operators, attachment];
        };

        it("give no notice and no violation when every decisive value is known", async () => {
            const analysis = await preview.run(previewStack());
            assert.deepStrictEqual(analysis.violations, []);
        });

        it("give one notice for a key bound to two clusters", async () => {
            const pk = previewKey("secrets", { deletionProtection: unknown });
            const analysis = await preview.run([
                pk,
                cluster("prod", { encryptionProviderKey: unknown }, { boundTo: pk }),
                cluster("staging", { encryptionProviderKey: unknown }, { boundTo: pk }),
            ]);
            assert.deepStrictEqual(noticesOf(analysis), [
                [
                    "kms-key-deletion-protected-while-bound",
                    "advisory",
                    previewNotice("deletionProtection", "key secrets"),
                    pk.urn,
                ],
            ]);
        });

        it("give no notice for a key region decided by a known arn", async () => {
            const [pk, pc] = previewBound();
            const analysis = await preview.run([
                withUnknownRegion({ ...pk, properties: { ...pk.properties, arn: keyArn() } }),
                pc,
            ]);
            assert.deepStrictEqual(noticesOf(analysis), []);
        });
    });

    describe("enforcement levels", () => {
        const stackPolicy = "kms-key-deletion-protected-while-bound";
        const resourcePolicy = "ack-secret-encryption-enabled";
        const stack = () => {
            const pk = previewKey("secrets", { deletionProtection: unknown });
            const pc = cluster(
                "prod",
                { encryptionProviderKey: unknown, clusterSpec: unknown },
                { boundTo: pk },
            );
            return [pk, pc];
        };

        const ofTheTwo = (analysis: PolicyAnalysis) =>
            analysis.violations.filter(
                (v) => v.policyName === stackPolicy || v.policyName === resourcePolicy,
            );

        for (const level of [undefined, "mandatory", "remediate"] as const) {
            it(`reports notices as advisory when the policies are ${level ?? "at their default, mandatory"}`, async () => {
                const config = level ? { [stackPolicy]: level, [resourcePolicy]: level } : {};
                const analysis = await preview.run(stack(), config);
                const info = await preview.pack.getAnalyzerInfo();
                const description = (name: string) =>
                    info.policies.find((p) => p.name === name)?.description;
                assert.deepStrictEqual(
                    ofTheTwo(analysis).map((v) => [
                        v.policyName,
                        v.enforcementLevel,
                        v.message,
                        v.description,
                    ]),
                    [
                        [
                            resourcePolicy,
                            "advisory",
                            previewNotice("clusterSpec", "cluster prod"),
                            description(resourcePolicy),
                        ],
                        [
                            stackPolicy,
                            "advisory",
                            previewNotice("deletionProtection", "key secrets"),
                            description(stackPolicy),
                        ],
                    ],
                );
            });
        }

        it("reports nothing from a policy configured disabled", async () => {
            const analysis = await preview.run(stack(), {
                [stackPolicy]: "disabled",
                [resourcePolicy]: "disabled",
            });
            assert.deepStrictEqual(ofTheTwo(analysis), []);
        });
    });

    describe("clusters bound by ExistingClusterEncryption", () => {
        const e = existingClusterEncryption();

        it("gives only a notice, no violation, for the component's preview with a new key", async () => {
            const { violations } = await preview.run([
                ...existingCluster.componentPreviewPair(),
                ramPolicy("deny-kms-updates", { policyDocument: document(denyStatement) }),
                attach("role", "ops", "deny-kms-updates"),
            ]);
            assert.deepStrictEqual(
                violations.map((v) => [v.policyName, v.enforcementLevel, v.urn]),
                [["kms-key-same-region", "advisory", e.urn]],
            );
        });
    });
});
