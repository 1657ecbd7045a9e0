// Over 400 lines: one catalogue of attacks on the pack, each run in preview and in update form.
// Fail closed, through the analyzer protocol in preview and update form: what the pack cannot
// read is a violation saying what could not be read; a Deny counts only where it surely applies;
// a resource type the pack cannot judge gets a notice. Each case is named after the attack.
import * as assert from "assert";
import { PolicyResource, secret } from "../../offline/analyzer";
import { resourceTypes } from "../../policy/facts";
import {
    allow,
    attach,
    cluster,
    denyStatement,
    document,
    existingClusterEncryption,
    externalClusterId,
    group,
    key,
    PackHarness,
    policyVersion,
    previewNotice,
    ramPolicy,
    resource,
    resourceManagerAttachment,
    resourceManagerPolicy,
    unknown,
    unreadable,
    user,
} from "./support/stack";

const statements = (...bodies: string[]) => `{"Version":"1","Statement":[${bodies.join(",")}]}`;

describe("policy pack ack-kms-policies: fail closed", function () {
    this.timeout(120_000);
    const preview = new PackHarness();
    const update = new PackHarness();
    before(() => Promise.all([preview.start(true), update.start(false)]));
    after(() => Promise.all([preview.close(), update.close()]));

    /** The messages of a policy, which must be the same in preview and update form. */
    const both = async (
        policy: string,
        resources: PolicyResource[],
        config: Record<string, unknown> = {},
    ) => {
        const inPreview = await preview.messages(policy, resources, config);
        const inUpdate = await update.messages(policy, resources, config);
        assert.deepStrictEqual(inUpdate, inPreview, "preview and update differ");
        return inUpdate;
    };

    describe("ram-no-allow-update-kms-encryption", () => {
        const policy = "ram-no-allow-update-kms-encryption";
        const grant = (how: string, statementsOf = "the policy's Allow statements") =>
            `Remove cs:UpdateKMSEncryption from ${statementsOf} (${how}), or list the policy in breakGlassPolicyNames.`;

        const attacks: Array<[string, string, string]> = [
            [
                "a duplicate Effect, of which JSON.parse keeps the last (Allow)",
                statements('{"Effect":"Deny","Effect":"Allow","Action":"cs:*","Resource":"*"}'),
                'duplicate key "Effect" in Statement[0]',
            ],
            [
                "a duplicate Action hiding cs:* behind a harmless first value",
                statements('{"Effect":"Allow","Action":"ecs:*","Action":"cs:*","Resource":"*"}'),
                'duplicate key "Action" in Statement[0]',
            ],
            [
                "a Statement entry that is not an object",
                statements('"Allow cs:*"', '{"Effect":"Allow","Action":"ecs:*","Resource":"*"}'),
                "Statement[0] is not an object",
            ],
            [
                "keys in another letter case (effect, action)",
                statements('{"effect":"Allow","action":"cs:*","Resource":"*"}'),
                'key "effect" in Statement[0] is not spelled "Effect"; key "action" in Statement[0] is not spelled "Action"; Statement[0] has no Effect; Statement[0] has neither Action nor NotAction',
            ],
            [
                "a non-string entry in Action",
                statements('{"Effect":"Allow","Action":["ecs:*",{"cs":"*"}],"Resource":"*"}'),
                "Statement[0].Action[1] is not a string",
            ],
            [
                "a trailing space in an action",
                statements('{"Effect":"Allow","Action":"cs:UpdateKMSEncryption ","Resource":"*"}'),
                "Statement[0].Action has leading or trailing spaces",
            ],
            [
                "a byte-order mark",
                "\ufeff" + statements('{"Effect":"Allow","Action":"cs:*","Resource":"*"}'),
                "the document starts with a byte-order mark",
            ],
            [
                "a zero-width space inside the action name",
                statements(
                    '{"Effect":"Allow","Action":"cs:Update\u200bKMSEncryption","Resource":"*"}',
                ),
                "Statement[0].Action has invisible or control characters",
            ],
            [
                "an Effect in another letter case",
                statements('{"Effect":"ALLOW","Action":"cs:*","Resource":"*"}'),
                'Statement[0].Effect is not "Allow" or "Deny"',
            ],
            [
                "an element RAM does not have",
                statements('{"Effect":"Allow","Action":"ecs:*","Actions":"cs:*","Resource":"*"}'),
                'unexpected key "Actions" in Statement[0]',
            ],
            [
                "a document encoded twice",
                JSON.stringify(document(allow("cs:*"))),
                "the document is not a JSON object",
            ],
            [
                "a comment, which a lenient parser would skip",
                '{"Version":"1",/* */"Statement":[{"Effect":"Allow","Action":"cs:*","Resource":"*"}]}',
                "the document is not valid JSON",
            ],
        ];
        for (const [attack, policyDocument, problems] of attacks) {
            it(`attack: ${attack} is a violation`, async () => {
                const p = ramPolicy("ops", { policyDocument });
                assert.deepStrictEqual(await both(policy, [p]), [[unreadable(problems), p.urn]]);
            });
        }

        it("names at most five problems", async () => {
            const p = ramPolicy("ops", {
                policyDocument: statements('"a"', '"b"', '"c"', '"d"', '"e"', '"f"', '"g"'),
            });
            assert.deepStrictEqual(await both(policy, [p]), [
                [
                    unreadable(
                        "Statement[0] is not an object; Statement[1] is not an object; Statement[2] is not an object; Statement[3] is not an object; Statement[4] is not an object; 2 more",
                    ),
                    p.urn,
                ],
            ]);
        });

        it("makes an unreadable document a mandatory violation", async () => {
            const p = ramPolicy("ops", { policyDocument: "{" });
            const { violations } = await update.run([p]);
            assert.deepStrictEqual(
                violations.filter((v) => v.policyName === policy).map((v) => v.enforcementLevel),
                ["mandatory"],
            );
        });

        it("does not print the values of a secret document it cannot read", async () => {
            const p = ramPolicy("ops", {
                policyDocument: secret(
                    statements(
                        '{"Effect":"Deny","Effect":"Allow","Action":"cs:*","Resource":"acs:cs:*:*:cluster/hush-4711"}',
                    ),
                ),
            });
            const messages = await both(policy, [p]);
            assert.deepStrictEqual(messages, [
                [unreadable('duplicate key "Effect" in Statement[0]'), p.urn],
            ]);
            assert.ok(!messages[0][0].includes("hush-4711"));
        });

        it("attack: the deprecated statements input with an Effect in another letter case", async () => {
            const p = ramPolicy("ops", {
                statements: [{ effect: "allow", actions: ["cs:*"], resources: ["*"] }],
            });
            assert.deepStrictEqual(await both(policy, [p]), [
                [unreadable('statements[0].effect is not "Allow" or "Deny"'), p.urn],
            ]);
        });

        it("attack: duplicate keys in a Resource Manager policy", async () => {
            const p = resourceManagerPolicy("rm-ops", {
                policyDocument: statements(
                    '{"Effect":"Allow","Action":"ecs:*","Action":"*","Resource":"*"}',
                ),
            });
            assert.deepStrictEqual(await both(policy, [p]), [
                [unreadable('duplicate key "Action" in Statement[0]'), p.urn],
            ]);
        });

        it("attack: a Resource Manager policy version made the default with an Allow", async () => {
            const v = policyVersion("ops-v2", {
                policyName: "ops",
                isDefaultVersion: true,
                policyDocument: document(allow("cs:*")),
            });
            assert.deepStrictEqual(await both(policy, [v]), [[grant('Action "cs:*"'), v.urn]]);
        });

        it("attack: a policy version kept non-default, one SetDefaultPolicyVersion call from live", async () => {
            const v = policyVersion("ops-v3", {
                policyName: "ops",
                isDefaultVersion: false,
                policyDocument: document(allow(["cs:UpdateKMS*"])),
            });
            assert.deepStrictEqual(await both(policy, [v]), [
                [grant('Action "cs:UpdateKMS*"'), v.urn],
            ]);
        });

        it("attack: a policy version whose document it cannot read", async () => {
            const v = policyVersion("ops-v2", {
                policyName: "ops",
                isDefaultVersion: true,
                policyDocument: "{",
            });
            assert.deepStrictEqual(await both(policy, [v]), [
                [unreadable("the document is not valid JSON"), v.urn],
            ]);
        });

        it("passes a version of an allow-listed break-glass policy", async () => {
            const v = policyVersion("bg-v2", {
                policyName: "break-glass",
                isDefaultVersion: true,
                policyDocument: document(allow("*")),
            });
            assert.deepStrictEqual(
                await both(policy, [v], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
                [],
            );
        });

        it("gives a notice, not a violation, for a version document unknown in preview", async () => {
            const v = policyVersion("ops-v2", { policyName: "ops", policyDocument: unknown });
            assert.deepStrictEqual(await preview.messages(policy, [v]), [
                [previewNotice("the policy document", "RAM policy version ops-v2"), v.urn],
            ]);
        });

        const accessConfiguration = (permissionPolicies: unknown) =>
            resource(resourceTypes.cloudSsoAccessConfiguration, "sso-ops", {
                accessConfigurationName: "sso-ops",
                directoryId: "d-1",
                permissionPolicies,
            });

        it("attack: a CloudSSO access configuration with an inline Allow", async () => {
            const a = accessConfiguration([
                {
                    permissionPolicyType: "Inline",
                    permissionPolicyName: "inline-ops",
                    permissionPolicyDocument: document(allow("cs:*")),
                },
            ]);
            assert.deepStrictEqual(await both(policy, [a]), [[grant('Action "cs:*"'), a.urn]]);
        });

        it("attack: an unreadable inline document next to a harmless one", async () => {
            const a = accessConfiguration([
                {
                    permissionPolicyType: "Inline",
                    permissionPolicyName: "read",
                    permissionPolicyDocument: document(allow("cs:Describe*")),
                },
                {
                    permissionPolicyType: "Inline",
                    permissionPolicyName: "ops",
                    permissionPolicyDocument: statements(
                        '{"Effect":"Allow","Action":"ecs:*","Action":"cs:*","Resource":"*"}',
                    ),
                },
                { permissionPolicyType: "Inline", permissionPolicyName: "empty" },
            ]);
            assert.deepStrictEqual(await both(policy, [a]), [
                [
                    unreadable(
                        'duplicate key "Action" in Statement[0]',
                        "the policy document of permissionPolicies[1]",
                    ),
                    a.urn,
                ],
                [
                    unreadable(
                        "permissionPolicies[2] is not System and has no document",
                        "the policy document of permissionPolicies[2]",
                    ),
                    a.urn,
                ],
            ]);
        });

        it("passes an access configuration with system policies only", async () => {
            const a = accessConfiguration([
                { permissionPolicyType: "System", permissionPolicyName: "AliyunCSReadOnlyAccess" },
            ]);
            assert.deepStrictEqual(await both(policy, [a]), []);
        });
    });

    describe("ram-deny-update-kms-encryption-attached", () => {
        const policy = "ram-deny-update-kms-encryption-attached";
        const noDeny =
            "Attach a RAM policy that denies cs:UpdateKMSEncryption to the users, roles or groups that manage this cluster (DenyKmsEncryptionUpdates does it).";
        const encrypted = () => [key(), cluster()];
        const withDeny = (statement: Record<string, unknown>, name = "deny-kms") => [
            ...encrypted(),
            ramPolicy(name, { policyDocument: document(statement) }),
            attach("role", "ops", name),
        ];
        const denied = async (resources: PolicyResource[]) => both(policy, resources);
        const notDenied = async (resources: PolicyResource[], at = cluster().urn) =>
            assert.deepStrictEqual(await both(policy, resources), [[noDeny, at]]);

        it("attack: a Deny with a Condition that may never hold", async () => {
            await notDenied(
                withDeny({
                    ...denyStatement,
                    Condition: { IpAddress: { "acs:SourceIp": "203.0.113.7/32" } },
                }),
            );
        });

        it("attack: a Deny with NotResource", async () => {
            await notDenied(
                withDeny({
                    Effect: "Deny",
                    Action: "cs:UpdateKMSEncryption",
                    NotResource: "acs:cs:*:*:cluster/*",
                }),
            );
        });

        it("attack: a Deny scoped to another cluster's ARN", async () => {
            await notDenied(
                withDeny({ ...denyStatement, Resource: "acs:cs:*:*:cluster/c-someone-else" }),
            );
        });

        it("attack: a Deny scoped to clusters of another region", async () => {
            await notDenied(
                withDeny({ ...denyStatement, Resource: "acs:cs:cn-beijing:*:cluster/*" }),
            );
        });

        it("attack: a Deny whose Effect is in another letter case", async () => {
            await notDenied(withDeny({ ...denyStatement, Effect: "deny" }));
        });

        it("attack: a Deny document with a duplicate Effect", async () => {
            const p = ramPolicy("deny-kms", {
                policyDocument: statements(
                    '{"Effect":"Deny","Action":"cs:UpdateKMSEncryption","Resource":"*","Effect":"Deny"}',
                ),
            });
            await notDenied([...encrypted(), p, attach("role", "ops", "deny-kms")]);
        });

        it("counts a Deny on every cluster", async () => {
            assert.deepStrictEqual(
                await denied(withDeny({ ...denyStatement, Resource: "acs:cs:*:*:cluster/*" })),
                [],
            );
        });

        it("counts a Deny scoped to the id of an external cluster, not to another id", async () => {
            const k = key();
            const enc = existingClusterEncryption("enc", {}, { boundTo: k });
            const scoped = (id: string) => [
                k,
                enc,
                ramPolicy("deny-kms", {
                    policyDocument: document({
                        ...denyStatement,
                        Resource: `acs:cs:*:*:cluster/${id}`,
                    }),
                }),
                attach("role", "ops", "deny-kms"),
            ];
            assert.deepStrictEqual(await denied(scoped(externalClusterId)), []);
            await notDenied(scoped("c0000000000000000000000000000000f"), enc.urn);
        });

        it("attack: a default policy version that drops the Deny of the policy", async () => {
            const rm = resourceManagerPolicy("deny-kms", {
                policyDocument: document(denyStatement),
            });
            const v2 = policyVersion(
                "deny-kms-v2",
                {
                    policyName: "deny-kms",
                    isDefaultVersion: true,
                    policyDocument: document(allow("ecs:Describe*")),
                },
                { propertyDependencies: { policyName: [rm.urn] } },
            );
            await notDenied([...encrypted(), rm, v2, attach("role", "ops", "deny-kms")]);
            assert.deepStrictEqual(
                await denied([...encrypted(), rm, attach("role", "ops", "deny-kms")]),
                [],
            );
        });

        it("attack: a Resource Manager policy whose default version is one the stack does not hold", async () => {
            const rm = (defaultVersion: string) =>
                resourceManagerPolicy("deny-kms", {
                    policyDocument: document(denyStatement),
                    defaultVersion,
                });
            await notDenied([...encrypted(), rm("v7"), attach("role", "ops", "deny-kms")]);
            assert.deepStrictEqual(
                await denied([...encrypted(), rm("v1"), attach("role", "ops", "deny-kms")]),
                [],
            );
            const a = attach("role", "ops", "deny-kms");
            assert.deepStrictEqual(
                await preview.messages(policy, [...encrypted(), rm(unknown as string), a]),
                [[previewNotice("the policy", `attachment ${a.name}`), a.urn]],
            );
        });

        it("attack: a Resource Manager attachment of the Deny scoped to another resource group", async () => {
            const rm = resourceManagerPolicy("deny-kms", {
                policyDocument: document(denyStatement),
            });
            const prod = cluster("prod", { resourceGroupId: "rg-prod" });
            const at = (scope: string) => [
                key(),
                prod,
                rm,
                resourceManagerAttachment("ops", "deny-kms", scope),
            ];
            await notDenied(at("rg-sandbox"));
            assert.deepStrictEqual(await denied(at("rg-prod")), []);
            assert.deepStrictEqual(await denied(at("1234567890")), []);
        });

        it("attack: a policyType the pack cannot read hiding an AdministratorAccess attachment", async () => {
            for (const policyType of ["System ", "SYSTEM", ""]) {
                const admin = attach("role", "admin", "AdministratorAccess", policyType);
                assert.deepStrictEqual(
                    await both(policy, [...withDeny(denyStatement), admin]),
                    [
                        [
                            "Attach a policy that denies cs:UpdateKMSEncryption to role:admin, which AdministratorAccess grants it, or list it in breakGlassPrincipals.",
                            admin.urn,
                        ],
                    ],
                    JSON.stringify(policyType),
                );
            }
        });

        it("attack: a Resource Manager attachment with a principalType the pack cannot read", async () => {
            const admin = {
                ...resourceManagerAttachment(
                    "admin",
                    "AdministratorAccess",
                    "1234567890",
                    "System",
                ),
            };
            admin.properties = { ...admin.properties, principalType: "RamRole" };
            assert.deepStrictEqual(await both(policy, [...withDeny(denyStatement), admin]), [
                [
                    "Attach a policy that denies cs:UpdateKMSEncryption to RamRole:admin, which AdministratorAccess grants it, or list it in breakGlassPrincipals.",
                    admin.urn,
                ],
            ]);
        });

        it("attack: a system policy name in another letter case", async () => {
            const admin = attach("role", "admin", "administratoraccess", "System");
            assert.deepStrictEqual(await both(policy, [...withDeny(denyStatement), admin]), [
                [
                    "Attach a policy that denies cs:UpdateKMSEncryption to role:admin, which administratoraccess grants it, or list it in breakGlassPrincipals.",
                    admin.urn,
                ],
            ]);
        });

        describe("CloudSSO access configurations", () => {
            const sso = (permissionPolicies: unknown[]) =>
                resource(resourceTypes.cloudSsoAccessConfiguration, "sso-admins", {
                    accessConfigurationName: "sso-admins",
                    directoryId: "d-1",
                    permissionPolicies,
                });
            const admin = {
                permissionPolicyType: "System",
                permissionPolicyName: "AdministratorAccess",
            };
            const needsDeny = (config: PolicyResource, through = "AdministratorAccess") => [
                `Attach a policy that denies cs:UpdateKMSEncryption to accessConfiguration:sso-admins, which ${through} grants it, or list it in breakGlassPrincipals.`,
                config.urn,
            ];

            it("attack: AdministratorAccess granted to CloudSSO users, out of reach of RAM attachments", async () => {
                const config = sso([admin]);
                assert.deepStrictEqual(await both(policy, [...withDeny(denyStatement), config]), [
                    needsDeny(config),
                ]);
            });

            it("attack: a permission policy of a type the pack cannot read", async () => {
                const config = sso([
                    { permissionPolicyType: "system", permissionPolicyName: "ReadOnlyAccess" },
                ]);
                assert.deepStrictEqual(await both(policy, [...withDeny(denyStatement), config]), [
                    needsDeny(config, "ReadOnlyAccess"),
                ]);
            });

            it("counts an inline Deny of the same configuration", async () => {
                const config = sso([
                    admin,
                    {
                        permissionPolicyType: "Inline",
                        permissionPolicyName: "deny-kms",
                        permissionPolicyDocument: document(denyStatement),
                    },
                ]);
                assert.deepStrictEqual(await both(policy, [...encrypted(), config]), []);
            });

            it("passes read-only system policies", async () => {
                const config = sso([
                    {
                        permissionPolicyType: "System",
                        permissionPolicyName: "AliyunCSReadOnlyAccess",
                    },
                ]);
                assert.deepStrictEqual(
                    await both(policy, [...withDeny(denyStatement), config]),
                    [],
                );
            });
        });

        describe("group membership", () => {
            const grantToBob = () => [
                ramPolicy("cs-ops", { policyDocument: document(allow("cs:*")) }),
                attach("user", "bob", "cs-ops"),
            ];
            const denyToGroup = () => [
                ...encrypted(),
                ramPolicy("deny-kms", { policyDocument: document(denyStatement) }),
                attach("group", "ops", "deny-kms"),
            ];
            const bobNeedsDeny = (grant: PolicyResource) => [
                "Attach a policy that denies cs:UpdateKMSEncryption to user:bob, which cs-ops grants it, or list it in breakGlassPrincipals.",
                grant.urn,
            ];

            it("counts the Deny of a group a user joins through GroupMembership", async () => {
                const membership = resource(resourceTypes.ramGroupMembership, "ops-members", {
                    groupName: "ops",
                    userNames: ["alice", "bob"],
                });
                assert.deepStrictEqual(
                    await denied([...denyToGroup(), ...grantToBob(), membership]),
                    [],
                );
            });

            it("counts the Deny of a group a user joins through UserGroupAttachment", async () => {
                const membership = resource(resourceTypes.ramUserGroupAttachment, "bob-ops", {
                    groupName: "ops",
                    userName: "bob",
                });
                assert.deepStrictEqual(
                    await denied([...denyToGroup(), ...grantToBob(), membership]),
                    [],
                );
            });

            it("attack: a Deny on a group the granted user is not a member of", async () => {
                const membership = resource(resourceTypes.ramGroupMembership, "ops-members", {
                    groupName: "ops",
                    userNames: ["alice"],
                });
                const grant = grantToBob();
                assert.deepStrictEqual(await denied([...denyToGroup(), ...grant, membership]), [
                    bobNeedsDeny(grant[1]),
                ]);
            });

            it("links members through propertyDependencies in preview", async () => {
                const bob = user("bob");
                const ops = group("ops");
                const membership = resource(
                    resourceTypes.ramGroupMembership,
                    "ops-members",
                    { groupName: unknown, userNames: unknown },
                    {
                        propertyDependencies: { groupName: [ops.urn], userNames: [bob.urn] },
                    },
                );
                assert.deepStrictEqual(
                    await preview.messages(policy, [
                        ...denyToGroup(),
                        ...grantToBob(),
                        bob,
                        ops,
                        membership,
                    ]),
                    [],
                );
            });

            it("gives a notice, not a violation, when members are unknown in preview", async () => {
                const membership = resource(resourceTypes.ramGroupMembership, "ops-members", {
                    groupName: "ops",
                    userNames: unknown,
                });
                assert.deepStrictEqual(
                    await preview.messages(policy, [...denyToGroup(), ...grantToBob(), membership]),
                    [
                        [
                            previewNotice("the members", "group membership ops-members"),
                            membership.urn,
                        ],
                    ],
                );
            });
        });
    });

    describe("ack-secret-encryption-enabled", () => {
        const policy = "ack-secret-encryption-enabled";

        it("gives an advisory notice, never silence, for an Edge cluster", async () => {
            const edge = cluster("edge", {}, { type: resourceTypes.edgeCluster });
            assert.deepStrictEqual(await both(policy, [edge]), [
                [
                    "Check Secret encryption of cluster edge yourself: the pack cannot judge alicloud:cs/edgeKubernetes:EdgeKubernetes clusters, so it did not check it.",
                    edge.urn,
                ],
            ]);
            const { violations } = await update.run([edge]);
            assert.deepStrictEqual(
                violations.filter((v) => v.policyName === policy).map((v) => v.enforcementLevel),
                ["advisory"],
            );
        });

        it('attack: disableEncryption given as the string "true", which the provider converts', async () => {
            for (const disableEncryption of ["true", "false", 1, 0]) {
                const c = cluster("prod", { disableEncryption });
                assert.deepStrictEqual(
                    await both(policy, [c]),
                    [
                        [
                            "Set disableEncryption to the boolean false: the pack cannot read a value of another type, and the provider may read it as true.",
                            c.urn,
                        ],
                    ],
                    JSON.stringify(disableEncryption),
                );
            }
        });

        it("attack: an encryptionProviderKey that is blank or not a key id", async () => {
            for (const encryptionProviderKey of [" ", " key-hzz65f2c9a1e0bxyz", "key/../x"]) {
                const c = cluster("prod", { encryptionProviderKey });
                assert.deepStrictEqual(
                    await both(policy, [c]),
                    [
                        [
                            "Set encryptionProviderKey to a KMS key id or key ARN: the pack cannot read the value as one.",
                            c.urn,
                        ],
                    ],
                    JSON.stringify(encryptionProviderKey),
                );
            }
        });

        it("reads a key ARN as encryptionProviderKey", async () => {
            const c = cluster("prod", {
                encryptionProviderKey: "acs:kms:cn-hangzhou:1234567890:key/key-hzz65f2c9a1e0bxyz",
            });
            assert.deepStrictEqual(await both(policy, [c]), []);
        });

        it("gives the notice for an ACK cluster type newer than the pack", async () => {
            const type = "alicloud:cs/lingjunKubernetes:LingjunKubernetes";
            const c = cluster("next", {}, { type });
            assert.deepStrictEqual(await both(policy, [c]), [
                [
                    `Check Secret encryption of cluster next yourself: the pack cannot judge ${type} clusters, so it did not check it.`,
                    c.urn,
                ],
            ]);
        });
    });
});
