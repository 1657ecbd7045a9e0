// policy/keyDestruction.ts: the one rule on RAM grants that can take a bound key away.
import { strict as assert } from "assert";
import { keyDestructionVerdict, uncoveredDestruction } from "../../policy/keyDestruction";

const keyArn = "acs:kms:cn-hangzhou:1234567890123456:key/key-1";
const doc = (...Statement: unknown[]) => ({ Version: "1", Statement });

describe("keyDestructionVerdict", () => {
    it("reads a kms:* grant as allowing every key-destroying action", () => {
        assert.deepEqual(
            keyDestructionVerdict(doc({ Effect: "Allow", Action: "kms:*", Resource: "*" }), keyArn),
            {
                verdict: "read",
                allows: [
                    "kms:DisableKey",
                    "kms:ScheduleKeyDeletion",
                    "kms:SetDeletionProtection",
                    "kms:SetKeyPolicy",
                ],
                denies: [],
            },
        );
    });

    it("counts a grant on another key or under NotResource naming this one as none", () => {
        for (const statement of [
            { Effect: "Allow", Action: "kms:DisableKey", Resource: "acs:kms:*:*:key/key-2" },
            { Effect: "Allow", Action: "kms:DisableKey", NotResource: "acs:kms:*:*:key/key-1" },
        ]) {
            assert.deepEqual(keyDestructionVerdict(doc(statement), keyArn), {
                verdict: "read",
                allows: [],
                denies: [],
            });
        }
    });

    it("counts a conditional grant, but only a Deny without Condition", () => {
        const verdict = keyDestructionVerdict(
            doc(
                {
                    Effect: "Allow",
                    Action: "kms:Set*",
                    Resource: "*",
                    Condition: { IpAddress: { "acs:SourceIp": "10.0.0.0/8" } },
                },
                {
                    Effect: "Deny",
                    Action: "kms:SetKeyPolicy",
                    Resource: "*",
                    Condition: { Bool: { "acs:MFAPresent": "false" } },
                },
                { Effect: "Deny", Action: "kms:SetDeletionProtection", Resource: keyArn },
            ),
            keyArn,
        );
        assert.deepEqual(verdict, {
            verdict: "read",
            allows: ["kms:SetDeletionProtection", "kms:SetKeyPolicy"],
            denies: ["kms:SetDeletionProtection"],
        });
        assert.deepEqual(
            uncoveredDestruction(
                verdict.verdict === "read" ? verdict.allows : [],
                verdict.verdict === "read" ? verdict.denies : [],
            ),
            ["kms:SetKeyPolicy"],
        );
    });

    it("fails closed on a document it cannot read", () => {
        assert.equal(keyDestructionVerdict("\ufeff{}", keyArn).verdict, "unreadable");
    });
});
