// `ack-kms audit`: lists every ACK cluster of the regions asked and runs on each the checks of
// `verify` (cloud/verify/) and the fleet's own (./keyRiskChecks.ts), reading what clusters
// share (a key, a KMS instance, the account's RAM policies, a region's ActionTrail) once.
import { kmsInstanceRenewalVerdict } from "../policy/kmsInstanceRenewal";
import { keyPolicyDenyVerdict } from "../policy/keyPolicyDeny";
import { createBssClient, queryKmsInstanceRenewal } from "../cloud/bss";
import { ClusterDetail } from "../cloud/cs";
import { describeCsRegions, listClusters } from "../cloud/csClusters";
import { CloudApiError } from "../cloud/errors";
import { describeKey, KeyMetadata } from "../cloud/kms";
import { getKeyPolicy, getKmsInstance } from "../cloud/kmsInstances";
import { createRamClient } from "../cloud/ram";
import { withRetry } from "../cloud/retry";
import { actionTrailCheck } from "../cloud/verify/actionTrailCheck";
import { clusterCheck } from "../cloud/verify/clusterEncryptionCheck";
import {
    customPoliciesRead,
    denyPolicyCheckOf,
    readCustomPolicies,
    ReadPolicies,
} from "../cloud/verify/denyPolicyCheck";
import { clusterKeyChecks } from "../cloud/verify/clusterKeyChecks";
import { CheckResult, checkIds, checkTitles, failedCall, skipped } from "../cloud/verify/results";
import { AccountPolicies } from "./accountPolicies";
import { CallStats, countedCall, countedRpcClient, newCallStats } from "./callStats";
import {
    AuditCredentialError,
    credentialCodes,
    isCredentialError,
    kmsCall,
    RegionClients,
} from "./clients";
import {
    auditCheckTitles,
    destructionCheck,
    instanceRenewalCheck,
    keyPolicyCheck,
} from "./keyRiskChecks";
import {
    AuditedCluster,
    auditCheckIds,
    AuditReport,
    clusterOutcome,
    RegionFailure,
    summarize,
} from "./model";
import { AuditOptions, defaultAuditConcurrency } from "./options";
import { mapWithConcurrency, onceByKey } from "./pool";

export { AuditCredentialError } from "./clients";

/** The regions to audit: the flags', plus DescribeRegions' with --all-regions. */
async function auditRegions(
    options: AuditOptions,
    clients: RegionClients,
    stats: CallStats,
): Promise<{ regions: string[]; source: AuditReport["regionSource"] }> {
    if (!options.allRegions) {
        return { regions: options.regions, source: "flags" };
    }
    const cs = clients.cs(options.regions[0] ?? "cn-hangzhou");
    const listed = await countedCall(stats, () => describeCsRegions(cs), options.retry);
    return { regions: [...new Set([...options.regions, ...listed])], source: "cs:DescribeRegions" };
}

/**
 * Audits only read, so a burst of throttling is waited out longer than a single change would be:
 * 8 attempts. Measured (bench/audit, one region at a time, ten throttled listings in a row): with
 * 5 attempts two of three regions were not listed, with 8 one; eight at once lost none.
 */
export const auditRetryDefaults = { maxAttempts: 8 } as const;

export async function runAudit(input: AuditOptions): Promise<AuditReport> {
    const options = { ...input, retry: { ...auditRetryDefaults, ...input.retry } };
    const startedAt = Date.now();
    const now = options.now?.() ?? new Date();
    const stats = newCallStats();
    const concurrency = options.concurrency ?? defaultAuditConcurrency;
    const progress = options.progress ?? (() => undefined);
    const clients = new RegionClients(options, stats);

    let regionList;
    try {
        regionList = await auditRegions(options, clients, stats);
    } catch (error) {
        if (isCredentialError(error)) {
            throw new AuditCredentialError(error.message);
        }
        throw error;
    }
    const { regions, source } = regionList;

    // 1. The clusters of every region.
    const regionFailures: RegionFailure[] = [];
    const listings = await mapWithConcurrency(regions, concurrency, async (regionId) => {
        try {
            const listing = await listClusters(clients.cs(regionId), regionId, {
                call: (operation) => countedCall(stats, operation, options.retry),
            });
            progress(`${regionId}: ${listing.clusters.length} clusters (${listing.pages} pages)`);
            return listing.clusters;
        } catch (error) {
            regionFailures.push({
                regionId,
                message: (error as Error).message,
                ...(error instanceof CloudApiError ? { code: error.code } : {}),
            });
            progress(`${regionId}: could not list clusters: ${(error as Error).message}`);
            return [] as ClusterDetail[];
        }
    });
    if (regionFailures.length === regions.length && regionFailures.length > 0) {
        const credential = regionFailures.find((f) => credentialCodes.test(f.code ?? ""));
        if (credential) {
            throw new AuditCredentialError(credential.message);
        }
    }
    const clusters = listings.flat();

    // 2. What clusters share, read once.
    const ram = countedRpcClient(
        createRamClient({
            endpoint: options.endpoints?.ram,
            credentials: options.credentials,
            timeoutMs: options.timeoutMs,
        }),
        stats,
    );
    const bss = countedRpcClient(
        createBssClient({
            endpoint: options.endpoints?.bss,
            credentials: options.credentials,
            timeoutMs: options.timeoutMs,
        }),
        stats,
    );
    let policies: ReadPolicies | undefined;
    let policiesError: unknown;
    if (clusters.length > 0) {
        try {
            policies = await readCustomPolicies(ram, options.maxPoliciesRead ?? customPoliciesRead);
            progress(`RAM: ${policies.policies.length} custom policies read`);
        } catch (error) {
            policiesError = error;
        }
    }
    const account = policies ? new AccountPolicies(policies, ram) : undefined;
    const keyOf = onceByKey((regionAndKey) => {
        const [regionId, keyId] = regionAndKey.split("/", 2);
        return kmsCall(stats, () => describeKey(clients.kms(regionId), keyId));
    });
    const instanceVerdictOf = onceByKey(async (regionAndInstance) => {
        const [regionId, instanceId] = regionAndInstance.split("/", 2);
        const instance = await kmsCall(stats, () =>
            getKmsInstance(clients.kms(regionId), instanceId),
        );
        // Billing is asked only when KMS's own fields leave the verdict open (a subscription).
        const fromKms = kmsInstanceRenewalVerdict(
            { paymentType: instance.chargeType, endDate: instance.endDate },
            now,
            options.expiryWarningDays,
        );
        if (fromKms.verdict === "pay-as-you-go") {
            return fromKms;
        }
        const renewal = await withRetry(
            () => queryKmsInstanceRenewal(bss, instanceId),
            options.retry,
        );
        return kmsInstanceRenewalVerdict(
            {
                paymentType: instance.chargeType ?? renewal.subscriptionType,
                renewStatus: renewal.renewStatus,
                endDate: instance.endDate ?? renewal.endTime,
            },
            now,
            options.expiryWarningDays,
        );
    });
    const keyPolicyOf = onceByKey(async (regionAndKey) => {
        const [regionId, keyId] = regionAndKey.split("/", 2);
        return kmsCall(stats, () => getKeyPolicy(clients.kms(regionId), keyId));
    });
    const exposureOf = onceByKey((arn) => account!.exposureOf(arn));
    const trailCheckOf = onceByKey((regionId) =>
        actionTrailCheck(clients.actionTrail(regionId), { since: options.since!, now: () => now }),
    );

    // 3. Every cluster, a bounded number at once.
    let done = 0;
    const audited = await mapWithConcurrency(clusters, concurrency, async (cluster) => {
        const checks: CheckResult[] = [clusterCheck(cluster, cluster.clusterId)];
        const keyId = cluster.encryptionEnabled ? cluster.encryptionKeyId : undefined;
        const riskIds = [
            auditCheckIds.kmsInstanceRenewal,
            auditCheckIds.keyPolicyAllowsRole,
            auditCheckIds.keyDestructionDenied,
        ] as const;
        const keyChecks = await clusterKeyChecks(keyId, (id) => keyOf(`${cluster.regionId}/${id}`));
        checks.push(...keyChecks.checks);
        if (!keyId) {
            for (const id of riskIds) {
                checks.push(skipped(id, auditCheckTitles[id], "the cluster names no KMS key"));
            }
        } else {
            checks.push(...(await keyRiskChecks(cluster.regionId, keyChecks.key)));
        }
        if (options.since) {
            checks.push(
                keyId
                    ? await trailCheckOf(cluster.regionId).catch((error: unknown) =>
                          failedCall(
                              checkIds.actionTrail,
                              checkTitles[checkIds.actionTrail],
                              error,
                              "actiontrail:LookupEvents",
                          ),
                      )
                    : skipped(
                          checkIds.actionTrail,
                          checkTitles[checkIds.actionTrail],
                          "Secret encryption is off",
                      ),
            );
        }
        checks.push(
            policies
                ? denyPolicyCheckOf(policies, cluster.clusterId, cluster.regionId)
                : failedCall(
                      checkIds.denyPolicy,
                      checkTitles[checkIds.denyPolicy],
                      policiesError,
                      "ram:ListPolicies and ram:GetPolicy",
                  ),
        );
        done++;
        if (done % 25 === 0 || done === clusters.length) {
            progress(`checked ${done} of ${clusters.length} clusters`);
        }
        return auditedCluster(cluster, keyId, checks);
    });

    async function keyRiskChecks(
        regionId: string,
        key: KeyMetadata | undefined,
    ): Promise<CheckResult[]> {
        const out: CheckResult[] = [];
        const instanceTitle = auditCheckTitles[auditCheckIds.kmsInstanceRenewal];
        const policyTitle = auditCheckTitles[auditCheckIds.keyPolicyAllowsRole];
        const destructionTitle = auditCheckTitles[auditCheckIds.keyDestructionDenied];
        if (!key) {
            for (const [id, title] of [
                [auditCheckIds.kmsInstanceRenewal, instanceTitle],
                [auditCheckIds.keyPolicyAllowsRole, policyTitle],
                [auditCheckIds.keyDestructionDenied, destructionTitle],
            ] as const) {
                out.push(skipped(id, title, "the key could not be read"));
            }
            return out;
        }
        if (key.dkmsInstanceId) {
            const instanceId = key.dkmsInstanceId;
            out.push(
                await instanceVerdictOf(`${regionId}/${instanceId}`).then(
                    (verdict) => instanceRenewalCheck(instanceId, verdict),
                    (error: unknown) =>
                        failedCall(
                            auditCheckIds.kmsInstanceRenewal,
                            instanceTitle,
                            error,
                            "kms:GetKmsInstance and bss:DescribeInstance",
                        ),
                ),
                await keyPolicyOf(`${regionId}/${key.keyId}`).then(
                    (document) =>
                        keyPolicyCheck(key.keyId, keyPolicyDenyVerdict(document, key.arn)),
                    (error: unknown) =>
                        failedCall(
                            auditCheckIds.keyPolicyAllowsRole,
                            policyTitle,
                            error,
                            "kms:GetKeyPolicy",
                        ),
                ),
            );
        } else {
            out.push(
                skipped(
                    auditCheckIds.kmsInstanceRenewal,
                    instanceTitle,
                    "the key is not in a KMS instance",
                ),
                skipped(
                    auditCheckIds.keyPolicyAllowsRole,
                    policyTitle,
                    "the key is not in a KMS instance (no key policy)",
                ),
            );
        }
        out.push(
            account
                ? await exposureOf(key.arn).then(
                      (exposure) => destructionCheck(key.keyId, exposure),
                      (error: unknown) =>
                          failedCall(
                              auditCheckIds.keyDestructionDenied,
                              destructionTitle,
                              error,
                              "ram:ListEntitiesForPolicy",
                          ),
                  )
                : failedCall(
                      auditCheckIds.keyDestructionDenied,
                      destructionTitle,
                      policiesError,
                      "ram:ListPolicies and ram:GetPolicy",
                  ),
        );
        return out;
    }

    const sorted = audited.sort(
        (a, b) => a.regionId.localeCompare(b.regionId) || a.clusterId.localeCompare(b.clusterId),
    );
    regionFailures.sort((a, b) => a.regionId.localeCompare(b.regionId));
    const summary = summarize(sorted, regionFailures);
    return {
        tool: "ack-kms audit",
        generatedAt: now.toISOString(),
        regions,
        regionSource: source,
        clusters: sorted,
        regionFailures,
        summary,
        stats: { ...stats, elapsedMs: Date.now() - startedAt },
        ok: summary.failedClusters === 0 && regionFailures.length === 0,
    };
}

function auditedCluster(
    cluster: ClusterDetail,
    keyId: string | undefined,
    checks: CheckResult[],
): AuditedCluster {
    return {
        clusterId: cluster.clusterId,
        name: cluster.name,
        regionId: cluster.regionId,
        clusterSpec: cluster.clusterSpec,
        state: cluster.state,
        ...(keyId ? { keyId } : {}),
        encrypted: keyId !== undefined,
        ...clusterOutcome(checks),
        checks,
    };
}
