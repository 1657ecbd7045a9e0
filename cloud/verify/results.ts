// What a check of `ack-kms verify` (and of `ack-kms audit`) reports, and the results of checks that
// could not run: a failed call says what it needs, a skipped check why it did not run.
import { updateKmsEncryptionAction } from "../../policy/facts";
import { CloudApiError } from "../errors";

export type CheckStatus = "pass" | "fail" | "warn" | "skip";

export interface CheckResult {
    id: string;
    title: string;
    status: CheckStatus;
    /** What was found. */
    detail: string;
    /** What to do about a failure or warning. */
    fix?: string;
}

export interface VerifyReport {
    clusterId: string;
    regionId: string;
    since: string;
    ok: boolean;
    checks: CheckResult[];
}

export const checkIds = {
    clusterEncryption: "cluster-encryption",
    keyEnabled: "key-enabled",
    keyDeletionProtection: "key-deletion-protection",
    keyRotation: "key-rotation",
    actionTrail: "actiontrail-kms-events",
    denyPolicy: "ram-deny-update-kms-encryption",
} as const;

export type CheckId = (typeof checkIds)[keyof typeof checkIds];

/** Each check's title, as verify and audit print it. */
export const checkTitles: Record<CheckId, string> = {
    [checkIds.clusterEncryption]: "Secret encryption is on and names its KMS key",
    [checkIds.keyEnabled]: "The key is Enabled and fit for Secrets",
    [checkIds.keyDeletionProtection]: "The key is protected from deletion",
    [checkIds.keyRotation]: "The key rotates automatically",
    [checkIds.actionTrail]: "ActionTrail shows ACK encrypting with KMS",
    [checkIds.denyPolicy]: `A RAM policy denies ${updateKmsEncryptionAction}`,
};

export function failedCall(
    id: string,
    title: string,
    error: unknown,
    permission: string,
): CheckResult {
    const message = error instanceof Error ? error.message : String(error);
    const denied =
        error instanceof CloudApiError && /forbidden|denied|NoPermission/i.test(error.code);
    return {
        id,
        title,
        status: "fail",
        detail: `could not check: ${message}`,
        fix: denied
            ? `Grant the caller ${permission}, then run verify again.`
            : `Check the endpoint, the network and the credentials, then run verify again (needs ${permission}).`,
    };
}

export function skipped(id: string, title: string, because: string): CheckResult {
    return { id, title, status: "skip", detail: `not checked: ${because}` };
}
