// An explicit Deny wins over every Allow: a key policy that denies AliyunCSManagedSecurityRole
// Encrypt, Decrypt or GenerateDataKey stops the API server from reading and writing Secrets.
import { StackValidationPolicy } from "@pulumi/policy";
import { boundKeyPairs } from "../bindings";
import { configList } from "../config";
import { securityRoleName } from "../facts";
import { keyPolicyDenyVerdict } from "../keyPolicyDeny";
import { readString } from "../known";
import { reportUncheckedInPreview } from "../notices";

export const kmsKeyPolicyAllowsAckRole: StackValidationPolicy = {
    name: "kms-key-policy-allows-ack-role",
    description: `The key policy of a KMS key bound to an ACK cluster has no explicit Deny of Encrypt, Decrypt or GenerateDataKey covering ${securityRoleName}.`,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptKeys: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: [],
                description:
                    "Names of bound keys whose key policy is reviewed elsewhere (break glass); prefer a waiver with an expiry.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const exempt = configList(args.getConfig<Record<string, unknown>>(), "exemptKeys");
        const seen = new Set<string>();
        for (const { binding, key } of boundKeyPairs(args.resources)) {
            if (seen.has(key.urn) || exempt.includes(key.name)) {
                continue;
            }
            seen.add(key.urn);
            const policy = readString(key.props, "policy");
            if (!policy.known) {
                reportUncheckedInPreview(reportViolation, "policy", `key ${key.name}`, key.urn);
                continue;
            }
            if (!policy.value) {
                continue; // KMS's default key policy grants the account, denies nothing.
            }
            const arn = readString(key.props, "arn");
            const verdict = keyPolicyDenyVerdict(
                policy.value,
                arn.known && arn.value ? arn.value : undefined,
            );
            const subject = `the key of ${binding.clusterLabel}`;
            if (verdict.verdict === "unreadable") {
                reportViolation(
                    `Rewrite the key policy of ${subject} so it can be read unambiguously (${verdict.problems.join("; ")}): the pack does not pass what it cannot read.`,
                    key.urn,
                );
            } else if (verdict.verdict === "denies" || verdict.verdict === "may-deny") {
                const statements = verdict.statements.map((i) => `Statement[${i}]`).join(", ");
                reportViolation(
                    `Remove ${securityRoleName} from the Deny of ${verdict.actions.join(", ")} in the key policy of ${subject} (${statements}${verdict.verdict === "may-deny" ? ", with a Condition" : ""}): ACK needs them to read and write Secrets.`,
                    key.urn,
                );
            } else if (verdict.verdict === "undecided") {
                // Whether a Deny naming keys, or a NotResource, covers the key waits for its ARN.
                reportUncheckedInPreview(reportViolation, "arn", `key ${key.name}`, key.urn);
            }
        }
    },
};
