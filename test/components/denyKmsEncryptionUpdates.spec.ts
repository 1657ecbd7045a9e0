import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { rejectionMessage, setupMocks, valueOf } from "../support/mocks";
import {
    defaultDenyPolicyName,
    DenyKmsEncryptionUpdates,
    DenyKmsEncryptionUpdatesArgs,
    denyPolicyDocument,
    validateDenyArgs,
} from "../../components/denyKmsEncryptionUpdates";

const componentType = "ack-kms:index:DenyKmsEncryptionUpdates";
const policyType = "alicloud:ram/policy:Policy";
const userAttachment = "alicloud:ram/userPolicyAttachment:UserPolicyAttachment";
const roleAttachment = "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment";
const groupAttachment = "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment";

/** A cluster id of ACK's shape (c + 32 hex digits). */
function clusterId(i: number): string {
    return `c${i.toString(16).padStart(32, "0")}`;
}

describe("DenyKmsEncryptionUpdates", () => {
    describe("children", () => {
        it("creates the deny policy on every cluster and attaches it to each user, role and group", async () => {
            const run = await setupMocks({ stack: "dev" });
            const deny = new DenyKmsEncryptionUpdates("ops", {
                users: ["alice"],
                roles: ["ci-deployer", "oncall"],
                groups: ["developers"],
            });
            await run.settle();

            const component = run.get(componentType, "ops");
            const policy = run.get(policyType, "ops-policy");
            assert.strictEqual(policy.parent, component.urn);
            assert.strictEqual(policy.inputs.policyName, "deny-kms-encryption-updates-dev-ops");
            assert.strictEqual(
                policy.inputs.policyDocument,
                '{"Version":"1","Statement":[{"Effect":"Deny","Action":["cs:UpdateKMSEncryption"],"Resource":["*"]}]}',
            );
            assert.strictEqual(policy.inputs.force, true);

            const attachments = [
                [userAttachment, "ops-user-alice", "userName", "alice"],
                [roleAttachment, "ops-role-ci-deployer", "roleName", "ci-deployer"],
                [roleAttachment, "ops-role-oncall", "roleName", "oncall"],
                [groupAttachment, "ops-group-developers", "groupName", "developers"],
            ];
            for (const [type, name, field, principal] of attachments) {
                const attachment = run.get(type, name);
                assert.strictEqual(attachment.parent, component.urn);
                assert.deepStrictEqual(attachment.inputs, {
                    policyName: "deny-kms-encryption-updates-dev-ops",
                    policyType: "Custom",
                    [field]: principal,
                });
                assert.deepStrictEqual(attachment.propertyDependencies.policyName, [policy.urn]);
            }
            assert.strictEqual(run.resources.length, 6);
            assert.strictEqual(
                await valueOf(deny.policyName),
                "deny-kms-encryption-updates-dev-ops",
            );
        });

        it("narrows Resource to the given clusters, known only after apply", async () => {
            const run = await setupMocks();
            new DenyKmsEncryptionUpdates("d", {
                roles: [pulumi.output("deployer")],
                clusterIds: [pulumi.output("c1111"), "c2222", "c1111"],
                policyName: "Deny-UpdateKMSEncryption",
            });
            await run.settle();
            const policy = run.get(policyType, "d-policy");
            assert.strictEqual(policy.inputs.policyName, "Deny-UpdateKMSEncryption");
            assert.deepStrictEqual(JSON.parse(policy.inputs.policyDocument).Statement[0].Resource, [
                "acs:cs:*:*:cluster/c1111",
                "acs:cs:*:*:cluster/c2222",
            ]);
            // An Output principal gets an index in its name, since its value is not known yet.
            assert.strictEqual(run.get(roleAttachment, "d-role-#0").inputs.roleName, "deployer");
        });

        it("fails the deployment with the size when Output ids make the document too big", async () => {
            await setupMocks();
            const ids = Array.from({ length: 120 }, (_, i) => clusterId(i));
            const deny = new DenyKmsEncryptionUpdates("d", {
                groups: ["g"],
                clusterIds: [pulumi.output(ids[0]), ...ids.slice(1)],
            });
            const bytes = Buffer.byteLength(denyPolicyDocument(ids));
            assert.strictEqual(
                await rejectionMessage(valueOf(deny.policyDocument)),
                `[clusterIds] the deny policy document is ${bytes} bytes, over RAM's limit of 6144 bytes: split the clusters across several DenyKmsEncryptionUpdates components.`,
            );
        });

        it("fails the deployment when an Output cluster id is empty", async () => {
            await setupMocks();
            const deny = new DenyKmsEncryptionUpdates("d", {
                users: ["u"],
                clusterIds: [pulumi.output("")],
            });
            assert.strictEqual(
                await rejectionMessage(valueOf(deny.policyDocument)),
                '[clusterIds] "" is not a cluster id: use ids such as "c0123456789abcdef".',
            );
        });
    });

    describe("policy document", () => {
        it("is the guide's deny statement without clusters", () => {
            assert.deepStrictEqual(JSON.parse(denyPolicyDocument()), {
                Version: "1",
                Statement: [
                    { Effect: "Deny", Action: ["cs:UpdateKMSEncryption"], Resource: ["*"] },
                ],
            });
        });
        it("fits 100 cluster ids within RAM's limit and rejects 120", () => {
            const ok = Array.from({ length: 100 }, (_, i) => clusterId(i));
            assert.deepStrictEqual(validateDenyArgs({ roles: ["r"], clusterIds: ok }, "p"), []);
            const tooMany = Array.from({ length: 120 }, (_, i) => clusterId(i));
            const bytes = Buffer.byteLength(denyPolicyDocument(tooMany));
            assert.deepStrictEqual(validateDenyArgs({ roles: ["r"], clusterIds: tooMany }, "p"), [
                `[clusterIds] the deny policy document is ${bytes} bytes, over RAM's limit of 6144 bytes: split the clusters across several DenyKmsEncryptionUpdates components.`,
            ]);
            assert.ok(bytes > 6144);
        });
        it("derives a valid default policy name from the stack and component names", () => {
            assert.strictEqual(
                defaultDenyPolicyName("prod.eu_1", "my cluster--deny"),
                "deny-kms-encryption-updates-prod-eu-1-my-cluster-deny",
            );
            assert.strictEqual(defaultDenyPolicyName("s", "x".repeat(200)).length, 128);
        });
    });

    describe("validateDenyArgs", () => {
        const bad: Array<[string, DenyKmsEncryptionUpdatesArgs, string]> = [
            [
                "no principal at all",
                {},
                "[users, roles, groups] are all empty: attach the deny policy to at least one RAM user, role or group.",
            ],
            [
                "empty principal lists",
                { users: [], roles: [], groups: [] },
                "[users, roles, groups] are all empty: attach the deny policy to at least one RAM user, role or group.",
            ],
            [
                "an empty user name",
                { users: [""] },
                '[users] "" is not a RAM name: use a non-empty name without spaces.',
            ],
            [
                "a role listed twice",
                { roles: ["ops", "ops"] },
                '[roles] "ops" is listed twice: list each name once.',
            ],
            [
                "a group list that is a string",
                { groups: "devs" as any },
                '[groups] "devs" is not valid: use a list of RAM names.',
            ],
            [
                "an empty cluster list",
                { roles: ["r"], clusterIds: [] },
                "[clusterIds] [] is empty: omit clusterIds to deny the action on every cluster, or list at least one id.",
            ],
            [
                "a wildcard cluster id",
                { roles: ["r"], clusterIds: ["*"] },
                '[clusterIds] "*" is not a cluster id: use ids such as "c0123456789abcdef".',
            ],
            [
                "a cluster id with a space",
                { roles: ["r"], clusterIds: ["c1 c2"] },
                '[clusterIds] "c1 c2" is not a cluster id: use ids such as "c0123456789abcdef".',
            ],
            [
                "a policy name with an underscore",
                { roles: ["r"], policyName: "deny_kms" },
                '[policyName] "deny_kms" is not a valid RAM policy name: use 1 to 128 letters, digits and hyphens (-).',
            ],
            [
                "an empty policy name",
                { roles: ["r"], policyName: "" },
                '[policyName] "" is not a valid RAM policy name: use 1 to 128 letters, digits and hyphens (-).',
            ],
            [
                "a policy name over 128 characters",
                { roles: ["r"], policyName: "p".repeat(129) },
                `[policyName] "${"p".repeat(129)}" is not a valid RAM policy name: use 1 to 128 letters, digits and hyphens (-).`,
            ],
        ];
        for (const [what, args, message] of bad) {
            it(`rejects ${what}`, () => {
                assert.deepStrictEqual(validateDenyArgs(args, "default-name"), [message]);
            });
        }

        it("rejects bad args in the constructor before registering anything", async () => {
            const run = await setupMocks();
            assert.throws(() => new DenyKmsEncryptionUpdates("d", { users: [] }), {
                message:
                    "[users, roles, groups] are all empty: attach the deny policy to at least one RAM user, role or group.",
            });
            await run.settle();
            assert.deepStrictEqual(run.resources, []);
        });
    });
});
