// The checks `ack-kms audit` adds to verify's for a bound key: its KMS instance keeps running, its
// key policy lets the ACK service role use it, and no RAM principal can destroy or unprotect it
// without a Deny. Each turns a shared verdict (policy/kmsInstanceRenewal.ts, policy/keyPolicyDeny.ts,
// policy/keyDestruction.ts) into a CheckResult; none judges anything itself.
import type { KmsInstanceRenewalVerdict } from "../policy/kmsInstanceRenewal";
import type { KeyPolicyDenyVerdict } from "../policy/keyPolicyDeny";
import { securityRoleName, systemPoliciesGrantingKeyDestruction } from "../policy/facts";
import { CheckResult } from "../cloud/verify/results";
import { customPoliciesRead } from "../cloud/verify/denyPolicyCheck";
import { DestructionExposure } from "./accountPolicies";
import { auditCheckIds } from "./model";

export const auditCheckTitles = {
    [auditCheckIds.kmsInstanceRenewal]: "The key's KMS instance renews and is not expiring",
    [auditCheckIds.keyPolicyAllowsRole]: `The key policy does not deny ${securityRoleName}`,
    [auditCheckIds.keyDestructionDenied]: "No RAM principal can destroy the key without a Deny",
} as const;

export function instanceRenewalCheck(
    instanceId: string,
    verdict: KmsInstanceRenewalVerdict,
): CheckResult {
    const id = auditCheckIds.kmsInstanceRenewal;
    const title = auditCheckTitles[id];
    const fail = (detail: string, fix: string): CheckResult => ({
        id,
        title,
        status: "fail",
        detail,
        fix,
    });
    const renewFix = `Turn on auto-renewal for ${instanceId} (Billing > Renewal, or alicloud.kms.Instance renewStatus "AutoRenewal").`;
    switch (verdict.verdict) {
        case "renews":
            return { id, title, status: "pass", detail: `${instanceId} renews automatically` };
        case "pay-as-you-go":
            return { id, title, status: "pass", detail: `${instanceId} is pay-as-you-go` };
        case "expired":
            return fail(
                `${instanceId} expired on ${verdict.endDate}: its keys no longer serve the API server`,
                `Renew ${instanceId} now, before it is released (its keys' data cannot be decrypted after).`,
            );
        case "expiring":
            return fail(
                `${instanceId} expires on ${verdict.endDate} (${verdict.daysLeft} days left) and will not renew`,
                renewFix,
            );
        case "not-renewing":
            return fail(
                `${instanceId} is ${verdict.renewStatus} until ${verdict.endDate} (${verdict.daysLeft} days left)`,
                renewFix,
            );
        case "unreadable":
            return fail(
                `could not judge ${instanceId}: ${verdict.problems.join("; ")}`,
                "Grant kms:GetKmsInstance and bss:DescribeInstance (QueryAvailableInstances), then run audit again.",
            );
    }
}

export function keyPolicyCheck(keyId: string, verdict: KeyPolicyDenyVerdict): CheckResult {
    const id = auditCheckIds.keyPolicyAllowsRole;
    const title = auditCheckTitles[id];
    const fix = `Remove the Deny for ${securityRoleName} from the key policy (SetKeyPolicy), or narrow it so Encrypt, Decrypt and GenerateDataKey stay allowed.`;
    switch (verdict.verdict) {
        case "does-not-deny":
            return {
                id,
                title,
                status: "pass",
                detail: `${keyId}'s key policy has no Deny for it`,
            };
        case "denies":
            return {
                id,
                title,
                status: "fail",
                detail: `${keyId}'s key policy denies it ${verdict.actions.join(", ")} (Statement ${verdict.statements.join(", ")})`,
                fix,
            };
        case "may-deny":
            return {
                id,
                title,
                status: "fail",
                detail: `${keyId}'s key policy denies it ${verdict.actions.join(", ")} under a Condition (Statement ${verdict.statements.join(", ")})`,
                fix,
            };
        case "unreadable":
            return {
                id,
                title,
                status: "fail",
                detail: `could not read ${keyId}'s key policy: ${verdict.problems.slice(0, 3).join("; ")}`,
                fix: "Rewrite the key policy so it reads unambiguously (valid JSON, each key once), then run audit again.",
            };
    }
}

export function destructionCheck(keyId: string, exposure: DestructionExposure): CheckResult {
    const id = auditCheckIds.keyDestructionDenied;
    const title = auditCheckTitles[id];
    if (exposure.unreadable.length > 0) {
        return {
            id,
            title,
            status: "fail",
            detail: `could not read custom ${exposure.unreadable.length === 1 ? "policy" : "policies"} ${exposure.unreadable.slice(0, 3).join(", ")}`,
            fix: "Rewrite the documents so they read unambiguously, then run audit again.",
        };
    }
    if (exposure.unreadAttached.length > 0) {
        // Fail closed: a policy audit did not read may grant the actions.
        const count = exposure.unreadAttached.length;
        return {
            id,
            title,
            status: "fail",
            detail: `did not read ${count} attached custom ${count === 1 ? "policy" : "policies"} past the first ${customPoliciesRead} (${exposure.unreadAttached.slice(0, 3).join(", ")}${count > 3 ? `, ${count - 3} more` : ""}): ${count === 1 ? "it" : "they"} may grant them`,
            fix: "Delete or merge custom policies nobody needs, so that audit reads every attached one, then run audit again.",
        };
    }
    if (exposure.uncovered.length === 0) {
        return {
            id,
            title,
            status: "pass",
            detail: `no custom policy, ${systemPoliciesGrantingKeyDestruction.join(" or ")} grants a principal DisableKey, ScheduleKeyDeletion, SetDeletionProtection or SetKeyPolicy on ${keyId} without a Deny`,
        };
    }
    const named = exposure.uncovered
        .slice(0, 3)
        .map((e) => `${e.principal} (${e.actions.join(", ")} through ${e.grantedBy.join(", ")})`);
    const more = exposure.uncovered.length - named.length;
    return {
        id,
        title,
        status: "fail",
        detail: `${named.join("; ")}${more > 0 ? `; ${more} more` : ""} on ${keyId}`,
        fix: "Attach a Deny of these actions on the key's ARN to those principals (DenyKmsEncryptionUpdates with protectKeys), or narrow the grants.",
    };
}
