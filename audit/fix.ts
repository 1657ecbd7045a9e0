// `ack-kms audit --fix`: only safe, reversible changes, listed first and applied only with --yes.
// Deletion protection goes on for bound keys that lack it (SetDeletionProtection; turning it off
// again is one call); with --enable-encryption --key, Secret encryption goes on for the clusters
// named with --cluster (cloud/clusterEncryption.ts, the path ExistingClusterEncryption takes).
import { enabled } from "../policy/facts";
import { enableClusterEncryption, EncryptionTiming } from "../cloud/clusterEncryption";
import { createCsClient } from "../cloud/cs";
import { createKmsClient, describeKey, setDeletionProtection } from "../cloud/kms";
import { checkIds } from "../cloud/verify/results";
import { AuditReport, isOpenFailure } from "./model";
import { AuditOptions, endpointFor } from "./options";

export type AuditFix =
    | { kind: "deletion-protection"; regionId: string; keyId: string; clusterIds: string[] }
    | { kind: "enable-encryption"; regionId: string; clusterId: string; keyId: string };

export interface FixRequest {
    /** Clusters whose encryption is turned on with `keyId`. */
    enableEncryptionFor?: string[];
    keyId?: string;
}

export function describeFix(fix: AuditFix): string {
    return fix.kind === "deletion-protection"
        ? `turn on deletion protection for key ${fix.keyId} in ${fix.regionId} (bound to ${fix.clusterIds.join(", ")})`
        : `turn on Secret encryption for cluster ${fix.clusterId} in ${fix.regionId} with key ${fix.keyId}`;
}

/** The fixes the report calls for, in a stable order. Throws naming a --cluster the audit did not find. */
export function planFixes(report: AuditReport, request: FixRequest = {}): AuditFix[] {
    const fixes: AuditFix[] = [];
    const unprotected = new Map<string, AuditFix & { kind: "deletion-protection" }>();
    for (const cluster of report.clusters) {
        const check = cluster.checks.find((c) => c.id === checkIds.keyDeletionProtection);
        // A waived finding was accepted by someone: it is not fixed behind their back.
        if (
            !check ||
            !isOpenFailure(check) ||
            !cluster.keyId ||
            check.detail.startsWith("could not")
        ) {
            continue;
        }
        const id = `${cluster.regionId}/${cluster.keyId}`;
        const fix = unprotected.get(id) ?? {
            kind: "deletion-protection",
            regionId: cluster.regionId,
            keyId: cluster.keyId,
            clusterIds: [],
        };
        fix.clusterIds.push(cluster.clusterId);
        unprotected.set(id, fix);
    }
    fixes.push(...unprotected.values());
    for (const clusterId of request.enableEncryptionFor ?? []) {
        const cluster = report.clusters.find((c) => c.clusterId === clusterId);
        if (!cluster) {
            throw new Error(
                `[--cluster] "${clusterId}" is not among the clusters audited: give a cluster id from the table, in one of the regions audited.`,
            );
        }
        if (!cluster.encrypted && request.keyId) {
            fixes.push({
                kind: "enable-encryption",
                regionId: cluster.regionId,
                clusterId,
                keyId: request.keyId,
            });
        }
    }
    return fixes;
}

export interface FixOutcome {
    fix: AuditFix;
    applied: boolean;
    message: string;
}

/** Applies the fixes one by one; a failure is reported and the next fix still runs. */
export async function applyFixes(
    fixes: AuditFix[],
    options: AuditOptions & { encryptionTiming?: EncryptionTiming },
): Promise<FixOutcome[]> {
    const outcomes: FixOutcome[] = [];
    for (const fix of fixes) {
        const common = { credentials: options.credentials, timeoutMs: options.timeoutMs };
        const kms = createKmsClient({
            regionId: fix.regionId,
            endpoint: endpointFor(options.endpoints?.kms, fix.regionId),
            retry: options.retry,
            ...common,
        });
        try {
            if (fix.kind === "deletion-protection") {
                // Read again: the key may have changed since the audit.
                const key = await describeKey(kms, fix.keyId);
                if (key.deletionProtection === enabled) {
                    outcomes.push({ fix, applied: false, message: "already on" });
                    continue;
                }
                await setDeletionProtection(kms, {
                    keyArn: key.arn,
                    enable: true,
                    description: `ack-kms audit: encrypts Secrets of ACK cluster ${fix.clusterIds.join(", ")}`,
                });
                outcomes.push({ fix, applied: true, message: "deletion protection on" });
            } else {
                const cs = createCsClient({
                    regionId: fix.regionId,
                    endpoint: endpointFor(options.endpoints?.cs, fix.regionId),
                    ...common,
                });
                const result = await enableClusterEncryption(
                    {
                        cs,
                        kms,
                        clusterId: fix.clusterId,
                        regionId: fix.regionId,
                        timing: options.encryptionTiming,
                        log: options.progress,
                        warn: options.progress,
                    },
                    fix.keyId,
                );
                outcomes.push({
                    fix,
                    applied: result.changed,
                    message: result.changed ? "Secret encryption on" : "already on",
                });
            }
        } catch (error) {
            outcomes.push({ fix, applied: false, message: (error as Error).message });
        }
    }
    return outcomes;
}
