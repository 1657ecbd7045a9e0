// DenyKmsEncryptionUpdates protectKeys, and EncryptedCluster turning it on for its bound key.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { rejectionMessage, setupMocks } from "../support/mocks";
import {
    DenyKmsEncryptionUpdates,
    denyPolicyDocument,
    validateDenyArgs,
} from "../../components/denyKmsEncryptionUpdates";
import { EncryptedCluster } from "../../components/encryptedCluster";
import { ramActionMatches, secretsKeyActions } from "../../policy/facts";

const policyType = "alicloud:ram/policy:Policy";
const destruction = [
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
    "kms:SetDeletionProtection",
    "kms:SetKeyPolicy",
];
const managedArgs = {
    name: "prod",
    vswitchIds: ["vsw-a", "vsw-b"],
    podCidr: "172.20.0.0/16",
    serviceCidr: "172.21.0.0/20",
};

describe("DenyKmsEncryptionUpdates protectKeys", () => {
    it("denies the key-destroying actions on each key, by ARN or by id in any region", () => {
        const arn = "acs:kms:cn-hangzhou:1234567890:key/key-hzz1";
        const doc = JSON.parse(denyPolicyDocument(undefined, [arn, "key-hzz2", arn]));
        assert.deepStrictEqual(doc.Statement[1], {
            Effect: "Deny",
            Action: destruction,
            Resource: [arn, "acs:kms:*:*:key/key-hzz2"],
        });
    });

    it("never denies what ACK's service role needs on the key", () => {
        const doc = JSON.parse(denyPolicyDocument(["c1"], ["key-hzz1"]));
        for (const statement of doc.Statement as Array<{ Action: string[] }>) {
            for (const needed of [...secretsKeyActions, "kms:DescribeKey"]) {
                assert.ok(
                    !statement.Action.some((pattern) => ramActionMatches(pattern, needed)),
                    `${needed} denied by ${JSON.stringify(statement)}`,
                );
            }
        }
    });

    it("refuses ACK's service role as a principal when keys are protected", () => {
        assert.deepStrictEqual(
            validateDenyArgs(
                { roles: ["AliyunCSManagedSecurityRole"], protectKeys: ["key-hzz1"] },
                "p",
            ),
            [
                '[roles] "AliyunCSManagedSecurityRole" is ACK\'s service role: it must keep every right on the keys of protectKeys; deny only the people and automation that manage them.',
            ],
        );
    });

    it("refuses a key that is neither an id nor an ARN, and a list that is not plain", () => {
        assert.deepStrictEqual(validateDenyArgs({ users: ["a"], protectKeys: ["key *"] }, "p"), [
            '[protectKeys] "key *" is not a KMS key id or ARN: use an id such as "key-hzz62f1c3b2d6y4mdp1xx" or its ARN.',
        ]);
        assert.match(
            validateDenyArgs(
                {
                    users: ["a"],
                    protectKeys: pulumi.output(["k"]) as unknown as string[],
                },
                "p",
            ).join(" "),
            /\[protectKeys\]/,
        );
    });

    it("shows a secret key given in protectKeys as [secret] in the message", async () => {
        await setupMocks();
        const deny = new DenyKmsEncryptionUpdates("d", {
            users: ["alice"],
            protectKeys: [pulumi.secret("s3cr3t key with spaces")],
        });
        assert.strictEqual(
            await rejectionMessage((deny.policyDocument as any).promise()),
            '[protectKeys] [secret] is not a KMS key id or ARN: use an id such as "key-hzz62f1c3b2d6y4mdp1xx" or its ARN.',
        );
    });

    it("writes the key statement once the key id is known", async () => {
        const run = await setupMocks();
        new DenyKmsEncryptionUpdates("d", {
            users: ["alice"],
            protectKeys: [pulumi.output("key-x1")],
        });
        await run.settle();
        const doc = JSON.parse(run.get(policyType, "d-policy").inputs.policyDocument);
        assert.deepStrictEqual(doc.Statement[1].Resource, ["acs:kms:*:*:key/key-x1"]);
    });
});

describe("EncryptedCluster protects its bound key by default", () => {
    it("denies the same principals destroying the cluster's key", async () => {
        const run = await setupMocks();
        new EncryptedCluster("prod", {
            cluster: managedArgs,
            denyEncryptionUpdates: { groups: ["developers"] },
        });
        await run.settle();
        const doc = JSON.parse(
            run.get(policyType, "prod-deny-encryption-updates-policy").inputs.policyDocument,
        );
        assert.strictEqual(doc.Statement.length, 2);
        assert.deepStrictEqual(doc.Statement[1].Action, destruction);
        assert.strictEqual(doc.Statement[1].Resource.length, 1);
        assert.match(doc.Statement[1].Resource[0], /^acs:kms:\*:\*:key\/.+/);
    });

    it("protects no key with protectKeys: false", async () => {
        const run = await setupMocks();
        new EncryptedCluster("prod", {
            cluster: managedArgs,
            denyEncryptionUpdates: { groups: ["developers"], protectKeys: false },
        });
        await run.settle();
        const doc = JSON.parse(
            run.get(policyType, "prod-deny-encryption-updates-policy").inputs.policyDocument,
        );
        assert.strictEqual(doc.Statement.length, 1);
    });

    it("refuses to deny ACK's service role before anything is registered", () => {
        assert.throws(
            () =>
                new EncryptedCluster("prod", {
                    cluster: managedArgs,
                    denyEncryptionUpdates: { roles: ["AliyunCSManagedSecurityRole"] },
                }),
            /\[denyEncryptionUpdates\.roles\] "AliyunCSManagedSecurityRole" is ACK's service role/,
        );
    });
});
