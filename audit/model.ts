// The report of `ack-kms audit`: one entry per cluster with the checks it ran (verify's checks and
// the fleet's own), the regions that could not be listed, and a summary. Every renderer (table,
// JSON, SARIF, HTML) is a view of this model; the JSON form is checked by audit-report.schema.json.
import { checkIds, type CheckResult } from "../cloud/verify/results";

export const auditCheckIds = {
    kmsInstanceRenewal: "kms-instance-renewal",
    keyPolicyAllowsRole: "key-policy-allows-ack-role",
    keyDestructionDenied: "ram-key-destruction-denied",
} as const;

/** Checks whose failure puts the key (and so every cluster it encrypts) at risk. */
export const keyRiskCheckIds: readonly string[] = [
    checkIds.keyEnabled,
    checkIds.keyDeletionProtection,
    auditCheckIds.kmsInstanceRenewal,
    auditCheckIds.keyPolicyAllowsRole,
    auditCheckIds.keyDestructionDenied,
];

/** A failed check accepted by a waiver (audit/waivers.ts); an expired one no longer waives. */
export interface CheckWaiver {
    owner: string;
    reason: string;
    expires: string;
    expired: boolean;
}

export type AuditCheck = CheckResult & { waiver?: CheckWaiver };

/** A failure no valid waiver covers. */
export function isOpenFailure(check: AuditCheck): boolean {
    return check.status === "fail" && (!check.waiver || check.waiver.expired);
}

/** A cluster's outcome from its checks: ok without an open failure, its key at risk with one there. */
export function clusterOutcome(checks: AuditCheck[]): { keyAtRisk: boolean; ok: boolean } {
    const failing = checks.filter(isOpenFailure);
    return {
        keyAtRisk: failing.some((c) => keyRiskCheckIds.includes(c.id)),
        ok: failing.length === 0,
    };
}

export interface AuditedCluster {
    clusterId: string;
    name: string;
    regionId: string;
    clusterSpec: string;
    state: string;
    /** The KMS key that encrypts Secrets, when encryption is on. */
    keyId?: string;
    encrypted: boolean;
    keyAtRisk: boolean;
    /** No check failed, but for those a valid waiver covers. */
    ok: boolean;
    checks: AuditCheck[];
}

export interface RegionFailure {
    regionId: string;
    message: string;
    /** The API's error code, when the cloud answered. */
    code?: string;
}

export interface AuditSummary {
    clusters: number;
    unencrypted: number;
    /** Distinct keys with a failed key check no valid waiver covers. */
    keysAtRisk: number;
    failedClusters: number;
    regionsFailed: number;
}

export interface AuditStats {
    apiCalls: number;
    transientFaults: number;
    throttled: number;
    elapsedMs: number;
}

export interface AuditReport {
    tool: "ack-kms audit";
    generatedAt: string;
    regions: string[];
    /** Where the region list came from. */
    regionSource: "flags" | "cs:DescribeRegions";
    clusters: AuditedCluster[];
    regionFailures: RegionFailure[];
    /** Expired waivers that matched a finding, each naming the waiver and its owner. */
    waiverFailures?: string[];
    summary: AuditSummary;
    stats: AuditStats;
    /** True when every cluster passed and every region was listed. */
    ok: boolean;
}

export function summarize(
    clusters: AuditedCluster[],
    regionFailures: RegionFailure[],
): AuditSummary {
    const keysAtRisk = new Set(
        clusters.filter((c) => c.keyAtRisk && c.keyId).map((c) => `${c.regionId}/${c.keyId}`),
    );
    return {
        clusters: clusters.length,
        unencrypted: clusters.filter((c) => !c.encrypted).length,
        keysAtRisk: keysAtRisk.size,
        failedClusters: clusters.filter((c) => !c.ok).length,
        regionsFailed: regionFailures.length,
    };
}
