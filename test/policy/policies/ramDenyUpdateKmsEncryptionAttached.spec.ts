// ram-deny-update-kms-encryption-attached through the analyzer protocol, in update form (names and
// documents known) and preview form (unknowns), for clusters of the stack and clusters bound by
// ExistingClusterEncryption.
import * as assert from "assert";
import { resourceTypes } from "../../../policy/facts";
import * as existingCluster from "../support/existingCluster";
import {
    allow,
    attach,
    cluster,
    denyStatement,
    document,
    existingClusterEncryption,
    key,
    previewNotice,
    ramPolicy,
    role,
    unknown,
    urnOf,
    startedPack,
    policyMessages,
} from "../support/stack";

const policy = "ram-deny-update-kms-encryption-attached";

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const harness = startedPack();
    const run = policyMessages(harness, policy);

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
        assert.deepStrictEqual(await run([...encrypted(), attach("role", "ops", "org-deny-kms")]), [
            [noDenyMessage, cluster().urn],
        ]);
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
            (await run([...encrypted(), denyPolicy, rm, attach("role", "ops", "deny-kms-updates")]))
                .length,
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

    describe("clusters bound by ExistingClusterEncryption", () => {
        const e = existingClusterEncryption();

        for (const [form, pair] of existingCluster.forms) {
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
});
