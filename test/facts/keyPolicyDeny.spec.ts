// policy/keyPolicyDeny.ts: the one rule on a key policy's Deny of the ACK service role.
import { strict as assert } from "assert";
import { keyPolicyDenyVerdict } from "../../policy/keyPolicyDeny";

const keyArn = "acs:kms:cn-hangzhou:1234567890123456:key/key-1";
const allowAll = {
    Sid: "default",
    Effect: "Allow",
    Principal: { RAM: ["acs:ram::1234567890123456:*"] },
    Action: ["kms:*"],
    Resource: ["*"],
};
const policy = (...statements: unknown[]) =>
    JSON.stringify({ Version: "1", Statement: [allowAll, ...statements] });
const deny = (fields: Record<string, unknown>) => ({
    Effect: "Deny",
    Principal: { RAM: "acs:ram::1234567890123456:role/aliyuncsmanagedsecurityrole" },
    Action: ["kms:Decrypt"],
    Resource: ["*"],
    ...fields,
});

describe("keyPolicyDenyVerdict", () => {
    it("passes the default key policy", () => {
        assert.deepEqual(keyPolicyDenyVerdict(policy(), keyArn), { verdict: "does-not-deny" });
    });

    it("finds a Deny of Decrypt naming the role, whatever the letter case of its name", () => {
        const verdict = keyPolicyDenyVerdict(
            policy(deny({ Principal: { RAM: ["acs:ram::*:role/AliyunCSManagedSecurityRole"] } })),
            keyArn,
        );
        assert.deepEqual(verdict, { verdict: "denies", actions: ["kms:Decrypt"], statements: [1] });
    });

    it("finds a Deny of kms:* for every principal of the account or for *", () => {
        for (const principal of [{ RAM: ["acs:ram::1234567890123456:*"] }, "*"]) {
            const verdict = keyPolicyDenyVerdict(
                policy(deny({ Principal: principal, Action: "kms:*" })),
                keyArn,
            );
            assert.deepEqual(verdict, {
                verdict: "denies",
                actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
                statements: [1],
            });
        }
    });

    it("says a Deny under a Condition may deny", () => {
        const verdict = keyPolicyDenyVerdict(
            policy(deny({ Condition: { Bool: { "acs:SecureTransport": "false" } } })),
            keyArn,
        );
        assert.equal(verdict.verdict, "may-deny");
    });

    it("passes Denies that leave the role, the actions or the key alone", () => {
        const cases = [
            deny({ Principal: { RAM: ["acs:ram::1234567890123456:role/other"] } }),
            deny({ Principal: { RAM: ["acs:ram::9999999999999999:*"] } }),
            deny({ Action: ["kms:ScheduleKeyDeletion"] }),
            deny({
                Action: undefined,
                NotAction: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
            }),
            deny({ Resource: ["acs:kms:cn-hangzhou:1234567890123456:key/key-2"] }),
            deny({ Resource: undefined, NotResource: [keyArn] }),
            deny({ Principal: { Service: ["cs.aliyuncs.com"] } }),
        ].map((s) => JSON.parse(JSON.stringify(s)) as unknown);
        for (const statement of cases) {
            assert.deepEqual(
                keyPolicyDenyVerdict(policy(statement), keyArn),
                { verdict: "does-not-deny" },
                JSON.stringify(statement),
            );
        }
    });

    it("fails closed on documents it cannot read", () => {
        const unreadable = [
            policy(deny({ Principal: { Federated: "x" } })),
            policy(deny({ Principal: ["x"] })),
            policy(deny({ Principal: undefined })),
            '{"Version":"1","Statement":[{"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}',
            "not json",
        ];
        for (const document of unreadable) {
            assert.equal(keyPolicyDenyVerdict(document, keyArn).verdict, "unreadable", document);
        }
    });

    it("matches only wildcard accounts when the key ARN names none", () => {
        const arn = "acs:kms:cn-hangzhou::key/key-1";
        assert.equal(
            keyPolicyDenyVerdict(
                policy(deny({ Principal: { RAM: "acs:ram::1234567890123456:*" } })),
                arn,
            ).verdict,
            "does-not-deny",
        );
        assert.equal(
            keyPolicyDenyVerdict(policy(deny({ Principal: { RAM: "acs:ram::*:*" } })), arn).verdict,
            "denies",
        );
    });
});
