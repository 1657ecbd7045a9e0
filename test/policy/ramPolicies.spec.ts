// ram-no-allow-update-kms-encryption and ram-deny-update-kms-encryption-attached, through the
// analyzer protocol, in update form (names and documents known) and preview form (unknowns).
import * as assert from "assert";
import { secret } from "../../offline/analyzer";
import { resourceTypes } from "../../policy/facts";
import {
    attach,
    cluster,
    denyStatement,
    document,
    key,
    PackHarness,
    ramPolicy,
    resourceManagerPolicy,
    role,
    previewNotice,
    unknown,
    unreadable,
    urnOf,
} from "./support/stack";

const allow = (action: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Action: action,
    Resource: "*",
    ...extra,
});

describe("policy pack ack-kms-policies: RAM", function () {
    this.timeout(120_000);
    const harness = new PackHarness();
    before(() => harness.start());
    after(() => harness.close());

    describe("ram-no-allow-update-kms-encryption", () => {
        const policy = "ram-no-allow-update-kms-encryption";
        const run = (
            resources: Parameters<typeof harness.messages>[1],
            config: Record<string, unknown> = {},
        ) => harness.messages(policy, resources, config);
        const expectGrant = async (documentValue: unknown, how: string) => {
            const p = ramPolicy("ops", { policyDocument: documentValue });
            assert.deepStrictEqual(await run([p]), [
                [
                    `Remove cs:UpdateKMSEncryption from the policy's Allow statements (${how}), or list the policy in breakGlassPolicyNames.`,
                    p.urn,
                ],
            ]);
        };

        it("rejects an Allow of the action by name, in a list", async () => {
            await expectGrant(
                document(allow(["cs:DescribeClusters", "cs:UpdateKMSEncryption"])),
                'Action "cs:UpdateKMSEncryption"',
            );
        });

        it("rejects an Allow of cs:* given as a single string", async () => {
            await expectGrant(document(allow("cs:*")), 'Action "cs:*"');
        });

        it("rejects an Allow of every action", async () => {
            await expectGrant(document(allow("*")), 'Action "*"');
        });

        it("rejects a prefix wildcard", async () => {
            await expectGrant(document(allow(["cs:Update*"])), 'Action "cs:Update*"');
        });

        it("matches letter case and the single-character wildcard as RAM does", async () => {
            await expectGrant(
                document(allow(["CS:update?msencryption"])),
                'Action "CS:update?msencryption"',
            );
        });

        it("names only the matching patterns of each granting statement", async () => {
            await expectGrant(
                document(allow(["ecs:*", "cs:*Encryption"]), allow("cs:UpdateKMS*")),
                'Action "cs:*Encryption"; Action "cs:UpdateKMS*"',
            );
        });

        it("rejects an Allow with NotAction that does not exclude the action", async () => {
            await expectGrant(
                document({ Effect: "Allow", NotAction: ["ecs:*", "ram:*"], Resource: "*" }),
                'NotAction ["ecs:*","ram:*"] does not exclude it',
            );
        });

        it("passes an Allow with NotAction that excludes the action by wildcard", async () => {
            assert.deepStrictEqual(
                await run([
                    ramPolicy("ops", {
                        policyDocument: document({
                            Effect: "Allow",
                            NotAction: "cs:*",
                            Resource: "*",
                        }),
                    }),
                ]),
                [],
            );
        });

        it("passes an Allow with NotAction that excludes the action by name, as a string", async () => {
            assert.deepStrictEqual(
                await run([
                    ramPolicy("ops", {
                        policyDocument: document({
                            Effect: "Allow",
                            NotAction: "cs:updatekmsencryption",
                            Resource: "*",
                        }),
                    }),
                ]),
                [],
            );
        });

        it("passes a Deny of the action", async () => {
            assert.deepStrictEqual(
                await run([ramPolicy("deny", { policyDocument: document(denyStatement) })]),
                [],
            );
        });

        it("passes Allows of other actions", async () => {
            assert.deepStrictEqual(
                await run([
                    ramPolicy("ops", {
                        policyDocument: document(
                            allow(["cs:Describe*", "cs:UpdateKMS", "kms:*", "ecs:*", "cs:?"]),
                        ),
                    }),
                ]),
                [],
            );
        });

        it("reads the deprecated document input", async () => {
            const p = ramPolicy("ops", { document: document(allow("cs:*")) });
            assert.strictEqual((await run([p])).length, 1);
        });

        it("reads the deprecated statements input", async () => {
            const p = ramPolicy("ops", {
                statements: [{ effect: "Allow", actions: ["cs:Update*"], resources: ["*"] }],
            });
            assert.deepStrictEqual(await run([p]), [
                [
                    `Remove cs:UpdateKMSEncryption from the policy's Allow statements (Action "cs:Update*"), or list the policy in breakGlassPolicyNames.`,
                    p.urn,
                ],
            ]);
        });

        it("checks Resource Manager policies too", async () => {
            const p = resourceManagerPolicy("rm-ops", { policyDocument: document(allow("cs:*")) });
            assert.strictEqual((await run([p])).length, 1);
        });

        it("reads a policy document that is a secret", async () => {
            const p = ramPolicy("ops", { policyDocument: secret(document(allow("*"))) });
            assert.strictEqual((await run([p])).length, 1);
        });

        it("reads a Statement given as one object", async () => {
            const p = ramPolicy("ops", {
                policyDocument: JSON.stringify({ Version: "1", Statement: allow("cs:*") }),
            });
            assert.strictEqual((await run([p])).length, 1);
        });

        it("passes a break-glass policy listed in config", async () => {
            const p = ramPolicy("break-glass", { policyDocument: document(allow("*")) });
            assert.deepStrictEqual(
                await run([p], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
                [],
            );
        });

        it("matches break-glass names by the deprecated name input too", async () => {
            const p = ramPolicy("bg", {
                policyName: undefined,
                name: "break-glass",
                policyDocument: document(allow("*")),
            });
            assert.deepStrictEqual(
                await run([p], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
                [],
            );
        });

        it("does not let a break-glass list excuse other policies", async () => {
            const p = ramPolicy("ops", { policyDocument: document(allow("*")) });
            assert.strictEqual(
                (await run([p], { [policy]: { breakGlassPolicyNames: ["break-glass"] } })).length,
                1,
            );
        });

        it("gives a notice, not a violation, while the document is unknown in preview", async () => {
            const p = ramPolicy("ops", { policyDocument: unknown });
            assert.deepStrictEqual(await run([p]), [
                [previewNotice("the policy document", "RAM policy ops"), p.urn],
            ]);
        });

        it("gives a notice, not a violation, for a granting policy whose name is unknown while break-glass names are configured", async () => {
            const p = ramPolicy("ops", {
                policyName: unknown,
                policyDocument: document(allow("*")),
            });
            assert.deepStrictEqual(
                await run([p], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
                [[previewNotice("the policy name", "RAM policy ops"), p.urn]],
            );
            const harmless = ramPolicy("ops", {
                policyName: unknown,
                policyDocument: document(denyStatement),
            });
            assert.deepStrictEqual(
                await run([harmless], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
                [],
            );
        });

        it("still reports a known grant when the name is unknown and nothing is allow-listed", async () => {
            const p = ramPolicy("ops", {
                policyName: unknown,
                policyDocument: document(allow("*")),
            });
            assert.strictEqual((await run([p])).length, 1);
        });

        it("rejects, without throwing, documents RAM would reject", async () => {
            const odd: Array<[string, string]> = [
                ["not json", "the document is not valid JSON"],
                [JSON.stringify({ Version: "1" }), "the document has no Statement"],
                [
                    JSON.stringify({ Statement: [{ Effect: "Allow", Action: 42, Resource: "*" }] }),
                    "Statement[0].Action is not a string or a list of strings",
                ],
                [JSON.stringify({ Statement: [null] }), "Statement[0] is not an object"],
                [JSON.stringify([1, 2]), "the document is not a JSON object"],
            ];
            for (const [i, [policyDocument, problem]] of odd.entries()) {
                const p = ramPolicy(`odd${i}`, { policyDocument });
                assert.deepStrictEqual(
                    await run([p]),
                    [[unreadable(problem), p.urn]],
                    policyDocument,
                );
            }
        });
    });

    describe("ram-deny-update-kms-encryption-attached", () => {
        const policy = "ram-deny-update-kms-encryption-attached";
        const run = (
            resources: Parameters<typeof harness.messages>[1],
            config: Record<string, unknown> = {},
        ) => harness.messages(policy, resources, config);
        const denyPolicy = ramPolicy("deny-kms-updates", {
            policyDocument: document(denyStatement),
        });
        const encrypted = () => [key(), cluster()];
        const noDenyMessage =
            "Attach a RAM policy that denies cs:UpdateKMSEncryption to the users, roles or groups that manage this cluster (DenyKmsEncryptionUpdates does it).";

        it("asks for a Deny when a stack with an encrypted cluster has none", async () => {
            assert.deepStrictEqual(await run(encrypted()), [[noDenyMessage, cluster().urn]]);
        });

        it("passes an encrypted cluster with a Deny attached to a role", async () => {
            assert.deepStrictEqual(
                await run([...encrypted(), denyPolicy, attach("role", "ops", "deny-kms-updates")]),
                [],
            );
        });

        it("does not count a Deny policy that is attached to nobody", async () => {
            assert.deepStrictEqual(await run([...encrypted(), denyPolicy]), [
                [noDenyMessage, cluster().urn],
            ]);
        });

        it("does not count a Deny limited to resources of another service", async () => {
            const ecsOnly = ramPolicy("deny-ecs", {
                policyDocument: document({ ...denyStatement, Resource: "acs:ecs:*:*:instance/*" }),
            });
            assert.deepStrictEqual(
                await run([...encrypted(), ecsOnly, attach("role", "ops", "deny-ecs")]),
                [[noDenyMessage, cluster().urn]],
            );
        });

        it("counts a Deny narrowed to ACK clusters, as DenyKmsEncryptionUpdates writes it", async () => {
            // The document is computed from the cluster's id: its propertyDependencies name it.
            const narrowed = ramPolicy(
                "deny-narrow",
                {
                    policyDocument: document({
                        ...denyStatement,
                        Resource: ["acs:cs:*:*:cluster/c123"],
                    }),
                },
                { propertyDependencies: { policyDocument: [cluster().urn] } },
            );
            assert.deepStrictEqual(
                await run([...encrypted(), narrowed, attach("group", "ops", "deny-narrow")]),
                [],
            );
        });

        it("reports a role holding AdministratorAccess without the Deny", async () => {
            const admin = attach("role", "admin", "AdministratorAccess", "System");
            assert.deepStrictEqual(
                await run([
                    ...encrypted(),
                    denyPolicy,
                    attach("role", "ops", "deny-kms-updates"),
                    admin,
                ]),
                [
                    [
                        "Attach a policy that denies cs:UpdateKMSEncryption to role:admin, which AdministratorAccess grants it, or list it in breakGlassPrincipals.",
                        admin.urn,
                    ],
                ],
            );
        });

        it("passes a role holding AdministratorAccess that also has the Deny", async () => {
            assert.deepStrictEqual(
                await run([
                    ...encrypted(),
                    denyPolicy,
                    attach("role", "admin", "AdministratorAccess", "System"),
                    attach("role", "admin", "deny-kms-updates"),
                ]),
                [],
            );
        });

        it("reports a group holding AliyunCSFullAccess when the Deny went to someone else", async () => {
            const full = attach("group", "devs", "AliyunCSFullAccess", "System");
            const messages = await run([
                ...encrypted(),
                denyPolicy,
                attach("user", "alice", "deny-kms-updates"),
                full,
            ]);
            assert.deepStrictEqual(messages, [
                [
                    "Attach a policy that denies cs:UpdateKMSEncryption to group:devs, which AliyunCSFullAccess grants it, or list it in breakGlassPrincipals.",
                    full.urn,
                ],
            ]);
        });

        it("reports a user granted the action by a custom Allow", async () => {
            const ops = ramPolicy("cs-ops", { policyDocument: document(allow("cs:*")) });
            const grant = attach("user", "bob", "cs-ops");
            const messages = await run([ops, grant]);
            assert.deepStrictEqual(messages, [
                [
                    "Attach a policy that denies cs:UpdateKMSEncryption to user:bob, which cs-ops grants it, or list it in breakGlassPrincipals.",
                    grant.urn,
                ],
            ]);
        });

        it("ignores system policies that do not grant the action", async () => {
            assert.deepStrictEqual(
                await run([attach("user", "carol", "AliyunCSReadOnlyAccess", "System")]),
                [],
            );
        });

        it("lets allow-listed break-glass principals hold the action", async () => {
            assert.deepStrictEqual(
                await run(
                    [
                        ...encrypted(),
                        denyPolicy,
                        attach("role", "ops", "deny-kms-updates"),
                        attach("role", "breakglass", "AdministratorAccess", "System"),
                    ],
                    { [policy]: { breakGlassPrincipals: ["role:breakglass"] } },
                ),
                [],
            );
        });

        it("does not count grants through break-glass policies", async () => {
            const bg = ramPolicy("break-glass", { policyDocument: document(allow("*")) });
            assert.deepStrictEqual(
                await run([bg, attach("role", "oncall", "break-glass")], {
                    [policy]: { breakGlassPolicyNames: ["break-glass"] },
                }),
                [],
            );
        });

        it("counts Deny policies managed outside the stack when configured", async () => {
            assert.deepStrictEqual(
                await run([...encrypted(), attach("role", "ops", "org-deny-kms")], {
                    [policy]: { denyPolicyNames: ["org-deny-kms"] },
                }),
                [],
            );
        });

        it("does not count an external custom policy it cannot read", async () => {
            assert.deepStrictEqual(
                await run([...encrypted(), attach("role", "ops", "org-deny-kms")]),
                [[noDenyMessage, cluster().urn]],
            );
        });

        it("links attachments to policies through propertyDependencies in preview", async () => {
            const deny = ramPolicy("deny-kms-updates", {
                policyName: unknown,
                policyDocument: document(denyStatement),
            });
            const attachment = attach("role", "ops", unknown, "Custom", {
                propertyDependencies: { policyName: [deny.urn] },
            });
            assert.deepStrictEqual(await run([...encrypted(), deny, attachment]), []);
        });

        it("links attachments to principals through propertyDependencies in preview", async () => {
            const opsRole = role("ops");
            const deny = ramPolicy("deny-kms-updates", { policyDocument: document(denyStatement) });
            const via = { propertyDependencies: { roleName: [opsRole.urn] } };
            assert.deepStrictEqual(
                await run([
                    ...encrypted(),
                    opsRole,
                    deny,
                    attach("role", unknown, "AdministratorAccess", "System", via),
                    attach("role", unknown, "deny-kms-updates", "Custom", via),
                ]),
                [],
            );
        });

        it("gives a notice, not a violation, for a grant to a principal whose name is unknown in preview", async () => {
            const ref = {
                propertyDependencies: { roleName: [urnOf("pulumi:pulumi:StackReference", "org")] },
            };
            const a = attach("role", unknown, "AdministratorAccess", "System", ref);
            assert.deepStrictEqual(await run([a]), [
                [previewNotice("the principal", `attachment ${a.name}`), a.urn],
            ]);
        });

        it("counts a Deny attached to a principal whose name is unknown in preview", async () => {
            const ref = {
                propertyDependencies: { roleName: [urnOf("pulumi:pulumi:StackReference", "org")] },
            };
            assert.deepStrictEqual(
                await run([
                    ...encrypted(),
                    denyPolicy,
                    attach("role", unknown, "deny-kms-updates", "Custom", ref),
                ]),
                [],
            );
        });

        it("recognises a break-glass policy linked in preview while the attachment's policyName is unknown", async () => {
            const bg = ramPolicy("break-glass", { policyDocument: document(allow("*")) });
            const attachment = attach("role", "oncall", unknown, "Custom", {
                propertyDependencies: { policyName: [bg.urn] },
            });
            assert.deepStrictEqual(
                await run([bg, attachment], {
                    [policy]: { breakGlassPolicyNames: ["break-glass"] },
                }),
                [],
            );
            assert.strictEqual((await run([bg, attachment])).length, 1);
        });

        it("gives a notice, not a violation, for a Deny document that is unknown in preview", async () => {
            const deny = ramPolicy("deny-kms-updates", { policyDocument: unknown });
            const denyAttachment = attach("role", "admin", "deny-kms-updates");
            assert.deepStrictEqual(
                await run([
                    ...encrypted(),
                    deny,
                    attach("role", "admin", "AdministratorAccess", "System"),
                    denyAttachment,
                ]),
                [
                    [
                        previewNotice("the policy", `attachment ${denyAttachment.name}`),
                        denyAttachment.urn,
                    ],
                ],
            );
        });

        it("matches Resource Manager attachments to RAM principals by name", async () => {
            const rm = {
                ...attach("role", "x", "AdministratorAccess", "System"),
                urn: urnOf(resourceTypes.resourceManagerPolicyAttachment, "rm-admin"),
                type: resourceTypes.resourceManagerPolicyAttachment,
                properties: {
                    principalName: "admin@role.1234567890.onaliyunservice.com",
                    principalType: "ServiceRole",
                    policyName: "AdministratorAccess",
                    policyType: "System",
                    resourceGroupId: "rg-1",
                },
            };
            assert.deepStrictEqual(
                await run([
                    ...encrypted(),
                    denyPolicy,
                    rm,
                    attach("role", "admin", "deny-kms-updates"),
                ]),
                [],
            );
            assert.strictEqual(
                (
                    await run([
                        ...encrypted(),
                        denyPolicy,
                        rm,
                        attach("role", "ops", "deny-kms-updates"),
                    ])
                ).length,
                1,
            );
        });

        it("asks nothing of a stack without encrypted clusters or grants", async () => {
            assert.deepStrictEqual(
                await run([key(), cluster("plain", { encryptionProviderKey: undefined })]),
                [],
            );
        });

        it("is advisory by default", async () => {
            const { violations } = await harness.run(encrypted());
            assert.deepStrictEqual(
                violations.filter((v) => v.policyName === policy).map((v) => v.enforcementLevel),
                ["advisory"],
            );
        });
    });
});
