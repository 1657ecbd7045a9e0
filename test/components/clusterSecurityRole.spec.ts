import * as assert from "assert";
import { rejectionMessage, setupMocks, valueOf } from "../support/mocks";
import {
    ClusterSecurityRole,
    missingPolicyMessage,
    missingRoleMessage,
    securityRoleMode,
    validateSecurityRoleArgs,
} from "../../components/clusterSecurityRole";

const componentType = "ack-kms:index:ClusterSecurityRole";
const roleType = "alicloud:ram/role:Role";
const attachmentType = "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment";
const getRoles = "alicloud:ram/getRoles:getRoles";
const getAttachments = "alicloud:ram/getRolePolicyAttachments:getRolePolicyAttachments";

describe("ClusterSecurityRole", () => {
    describe('mode "create"', () => {
        it("creates the account-wide role trusted by cs.aliyuncs.com and attaches the system policy, both retained on delete", async () => {
            const run = await setupMocks();
            const role = new ClusterSecurityRole("ack-auth");
            await run.settle();

            const component = run.get(componentType, "ack-auth");
            const ramRole = run.get(roleType, "ack-auth-role");
            const attachment = run.get(attachmentType, "ack-auth-policy");
            assert.strictEqual(ramRole.parent, component.urn);
            assert.strictEqual(attachment.parent, component.urn);
            assert.strictEqual(ramRole.retainOnDelete, true);
            assert.strictEqual(attachment.retainOnDelete, true);
            assert.strictEqual(ramRole.inputs.roleName, "AliyunCSManagedSecurityRole");
            assert.deepStrictEqual(JSON.parse(ramRole.inputs.assumeRolePolicyDocument), {
                Statement: [
                    {
                        Action: "sts:AssumeRole",
                        Effect: "Allow",
                        Principal: { Service: ["cs.aliyuncs.com"] },
                    },
                ],
                Version: "1",
            });
            assert.deepStrictEqual(attachment.inputs, {
                roleName: "AliyunCSManagedSecurityRole",
                policyName: "AliyunCSManagedSecurityRolePolicy",
                policyType: "System",
            });
            // The attachment waits for the role: its roleName comes from the role's output.
            assert.deepStrictEqual(attachment.propertyDependencies.roleName, [ramRole.urn]);
            assert.deepStrictEqual(run.invokes, []);
            assert.strictEqual(await valueOf(role.roleName), "AliyunCSManagedSecurityRole");
            assert.strictEqual(
                await valueOf(role.roleArn),
                "acs:ram::1234567890123456:role/aliyuncsmanagedsecurityrole",
            );
        });

        it("uses a custom description", async () => {
            const run = await setupMocks();
            new ClusterSecurityRole("r", { description: "managed by platform" });
            await run.settle();
            assert.strictEqual(
                run.get(roleType, "r-role").inputs.description,
                "managed by platform",
            );
        });
    });

    describe('mode "existing"', () => {
        it("looks the role and its policy up without creating anything", async () => {
            const run = await setupMocks({ preview: true });
            const role = new ClusterSecurityRole("r", { mode: "existing" });
            assert.strictEqual(
                await valueOf(role.roleArn),
                "acs:ram::1234567890123456:role/aliyuncsmanagedsecurityrole",
            );
            await run.settle();
            assert.deepStrictEqual(
                run.resources.map((r) => r.type),
                [componentType],
            );
            assert.deepStrictEqual(run.invokes.map((i) => [i.token, i.inputs]).sort(), [
                [getAttachments, { roleName: "AliyunCSManagedSecurityRole" }],
                [getRoles, { nameRegex: "^AliyunCSManagedSecurityRole$" }],
            ]);
        });

        it("fails the preview with how to create the role when it is missing", async () => {
            await setupMocks({
                preview: true,
                calls: { [getRoles]: () => ({ roles: [], names: [], ids: [] }) },
            });
            const role = new ClusterSecurityRole("r", { mode: "existing" });
            assert.strictEqual(
                await rejectionMessage(valueOf(role.roleName)),
                missingRoleMessage(),
            );
            assert.strictEqual(
                missingRoleMessage(),
                '[mode] "existing": RAM role AliyunCSManagedSecurityRole does not exist in this account, so ACK cannot call KMS (MissingAuth.AliyuncsManagedSecurityRole). Create it once per account: in the ACK console, turn on Secret Encryption for any cluster, click Go to RAM console and then Confirm Authorization Policy; or use ClusterSecurityRole mode "create".',
            );
        });

        it("does not take a role whose name only contains the wanted one", async () => {
            await setupMocks({
                calls: {
                    [getRoles]: () => ({
                        roles: [
                            { name: "AliyunCSManagedSecurityRoleCopy", arn: "acs:ram::1:role/x" },
                        ],
                    }),
                },
            });
            const role = new ClusterSecurityRole("r", { mode: "existing" });
            assert.strictEqual(
                await rejectionMessage(valueOf(role.roleName)),
                missingRoleMessage(),
            );
        });

        it("fails when the system policy is not attached to the role", async () => {
            await setupMocks({
                calls: {
                    [getAttachments]: () => ({
                        attachments: [
                            {
                                policyName: "AliyunCSManagedSecurityRolePolicy",
                                policyType: "Custom",
                            },
                        ],
                    }),
                },
            });
            const role = new ClusterSecurityRole("r", { mode: "existing" });
            assert.strictEqual(
                await rejectionMessage(valueOf(role.roleArn)),
                missingPolicyMessage(),
            );
            assert.strictEqual(
                missingPolicyMessage(),
                '[mode] "existing": RAM role AliyunCSManagedSecurityRole exists but the system policy AliyunCSManagedSecurityRolePolicy is not attached to it. Attach it in the RAM console (Roles, Grant Permission) or confirm ACK\'s authorization again in the ACK console.',
            );
        });
    });

    describe("validateSecurityRoleArgs", () => {
        it("defaults to create", () => {
            assert.deepStrictEqual(validateSecurityRoleArgs({}), []);
            assert.strictEqual(securityRoleMode({}), "create");
        });
        it("rejects an unknown mode", () => {
            assert.deepStrictEqual(validateSecurityRoleArgs({ mode: "import" as any }), [
                '[mode] "import" is not valid: use "create" or "existing".',
            ]);
        });
        it("rejects a mode in the wrong case", () => {
            assert.deepStrictEqual(validateSecurityRoleArgs({ mode: "Create" as any }), [
                '[mode] "Create" is not valid: use "create" or "existing".',
            ]);
        });
    });
});
