// The checks behind `ack-kms verify`: is Secret encryption really live on a cluster, and is it
// protected? Each check runs on its own, so one failing API call never hides the other findings.

import {
    defaultRotationInterval,
    enabled,
    keyTypeOf,
    updateKmsEncryptionAction,
} from "../policy/facts";
import {
    createActionTrailClient,
    isBySecurityRole,
    lookupEvents,
    secretEncryptionEventNames,
} from "./actiontrail";
import { CloudCredentials } from "./credentials";
import { ClusterDetail, createCsClient, describeCluster } from "./cs";
import { CloudApiError } from "./errors";
import { keyProblemsForSecrets } from "./keyChecks";
import { createKmsClient, describeKey, KeyMetadata } from "./kms";
import { RpcClient } from "./openApiCall";
import { clusterDenyVerdict, createRamClient, getPolicyDocument, listCustomPolicies } from "./ram";
import { withRetry } from "./retry";
import { known } from "../policy/verdicts/known";
import { judgeClusterSpec } from "../policy/verdicts/clusterSpec";
import { judgeRotation } from "../policy/verdicts/rotation";

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

export interface VerifyEndpoints {
    cs?: string;
    kms?: string;
    actiontrail?: string;
    ram?: string;
}

export interface VerifyOptions {
    clusterId: string;
    regionId: string;
    /** ActionTrail events are looked up from this time on. */
    since: Date;
    credentials: CloudCredentials;
    endpoints?: VerifyEndpoints;
    timeoutMs?: number;
    /** At most this many custom RAM policies are read for the deny check. Defaults to 200. */
    maxPoliciesRead?: number;
    now?: () => Date;
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

/** ActionTrail keeps events for 90 days. */
export const maxLookbackDays = 90;

/**
 * A `--since` value: a duration back from now (`30m`, `24h`, `7d`) or an ISO 8601 time.
 * Throws a message naming the option.
 */
export function parseSince(value: string, now: Date = new Date()): Date {
    const duration = /^([1-9][0-9]*)([mhd])$/.exec(value.trim());
    let since: Date | undefined;
    if (duration) {
        const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as "m" | "h" | "d"];
        since = new Date(now.getTime() - Number(duration[1]) * unitMs);
    } else if (/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(value.trim())) {
        const parsed = Date.parse(value.trim());
        since = Number.isNaN(parsed) ? undefined : new Date(parsed);
    }
    if (!since) {
        throw new Error(
            `[--since] "${value}" is not a duration or a time: use e.g. 30m, 24h, 7d or 2026-01-31T00:00:00Z.`,
        );
    }
    if (since.getTime() > now.getTime()) {
        throw new Error(`[--since] "${value}" is in the future: give a time in the past.`);
    }
    if (now.getTime() - since.getTime() > maxLookbackDays * 86_400_000) {
        throw new Error(
            `[--since] "${value}" is more than ${maxLookbackDays} days ago: ActionTrail keeps events for ${maxLookbackDays} days.`,
        );
    }
    return since;
}

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

export function clusterCheck(cluster: ClusterDetail, clusterId: string): CheckResult {
    const title = "Secret encryption is on and names its KMS key";
    if (cluster.encryptionEnabled && cluster.encryptionKeyId) {
        return {
            id: checkIds.clusterEncryption,
            title,
            status: "pass",
            detail: `cluster ${clusterId} (${cluster.clusterSpec || "no spec"}, ${cluster.state}) encrypts Secrets with ${cluster.encryptionKeyId}`,
        };
    }
    return {
        id: checkIds.clusterEncryption,
        title,
        status: "fail",
        detail: `cluster ${clusterId} (${cluster.clusterSpec || "no spec"}, ${cluster.state}) reports Secret encryption off`,
        fix:
            judgeClusterSpec(cluster.clusterSpec).verdict === "pro"
                ? "Turn it on: ExistingClusterEncryption (Pulumi), or the cluster's Basic Information tab > Secret Encryption."
                : "Secret encryption needs an ACK Pro cluster: migrate the cluster to ACK Pro first.",
    };
}

export function keyEnabledCheck(key: KeyMetadata): CheckResult {
    const problems = keyProblemsForSecrets(key);
    const title = "The key is Enabled and fit for Secrets";
    return problems.length === 0
        ? {
              id: checkIds.keyEnabled,
              title,
              status: "pass",
              detail: `${key.keyId} is ${key.keyState}, ${key.keySpec}, ${key.keyUsage}`,
          }
        : {
              id: checkIds.keyEnabled,
              title,
              status: "fail",
              detail: `${key.keyId}: ${problems.join("; ")}`,
              fix: "Until the key is Enabled the API server cannot read Secrets: enable it (EnableKey) or cancel its deletion (CancelKeyDeletion) now.",
          };
}

export function deletionProtectionCheck(key: KeyMetadata): CheckResult {
    const title = "The key is protected from deletion";
    return key.deletionProtection === enabled
        ? {
              id: checkIds.keyDeletionProtection,
              title,
              status: "pass",
              detail: `${key.keyId} has deletion protection on`,
          }
        : {
              id: checkIds.keyDeletionProtection,
              title,
              status: "fail",
              detail: `${key.keyId} has deletion protection off`,
              fix: "Turn it on: KeyDeletionGuard (Pulumi), or KMS SetDeletionProtection with EnableDeletionProtection=true.",
          };
}

export function rotationCheck(key: KeyMetadata): CheckResult {
    const title = "The key rotates automatically";
    const id = checkIds.keyRotation;
    const judged = judgeRotation({
        keyType: known(keyTypeOf(key.protectionLevel, key.dkmsInstanceId)),
        automaticRotation: known(key.automaticRotation),
        rotationInterval: known(key.rotationInterval),
    });
    const fail = (detail: string, fix: string): CheckResult => ({
        id,
        title,
        status: "fail",
        detail: `${key.keyId} ${detail}`,
        fix,
    });
    switch (judged.verdict) {
        case "rotates":
            return {
                id,
                title,
                status: "pass",
                detail: `${key.keyId} rotates every ${key.rotationInterval}`,
            };
        case "cannotRotate":
            return {
                id,
                title,
                status: "warn",
                detail: `${key.keyId} is an HSM key, which KMS cannot rotate automatically`,
                fix: "Rotate it by hand on a schedule, then rewrite Secrets (SecretsReencryption).",
            };
        case "off":
            return fail(
                `has automatic rotation ${key.automaticRotation ?? "off"}`,
                `Turn it on: UpdateRotationPolicy with EnableAutomaticRotation=true and RotationInterval=${defaultRotationInterval}, or SecretsEncryptionKey's rotationInterval.`,
            );
        case "unreadable":
            return fail(
                key.rotationInterval
                    ? `has a rotation interval verify cannot read ("${key.rotationInterval}")`
                    : "has automatic rotation on but DescribeKey gave no rotation interval",
                `Set it again: UpdateRotationPolicy with RotationInterval=${defaultRotationInterval}, then run verify again.`,
            );
        case "tooShort":
            return fail(
                `rotates every ${key.rotationInterval}, shorter than its key type allows (${judged.minDays} days)`,
                `Set the rotation interval to ${judged.minDays}d to ${judged.maxDays}d.`,
            );
        case "tooLong":
            return fail(
                `rotates every ${key.rotationInterval}, longer than ${judged.maxDays} days`,
                `Shorten the rotation interval to ${defaultRotationInterval} or less.`,
            );
        default:
            // noFit and unknown cannot follow from known facts under the default maximum.
            return fail(
                "has a rotation verify cannot judge",
                "Check the key's rotation policy in the KMS console.",
            );
    }
}

export async function actionTrailCheck(
    client: RpcClient,
    options: Pick<VerifyOptions, "since" | "now">,
): Promise<CheckResult> {
    const title = "ActionTrail shows ACK encrypting with KMS";
    const found: Record<string, number> = {};
    let scanned = 0;
    let truncated = false;
    for (const eventName of secretEncryptionEventNames) {
        const result = await withRetry(() =>
            lookupEvents(client, {
                eventName,
                since: options.since,
                until: options.now?.(),
                matches: isBySecurityRole,
            }),
        );
        found[eventName] = result.matching.length;
        scanned += result.scanned;
        truncated ||= result.truncated;
    }
    const since = options.since.toISOString();
    if (Object.values(found).some((count) => count > 0)) {
        const names = secretEncryptionEventNames.filter((n) => found[n] > 0).join(" and ");
        return {
            id: checkIds.actionTrail,
            title,
            status: "pass",
            detail: `${names} by aliyuncsmanagedsecurityrole since ${since}`,
        };
    }
    return {
        id: checkIds.actionTrail,
        title,
        status: "fail",
        detail:
            `no Encrypt or Decrypt event by aliyuncsmanagedsecurityrole since ${since} ` +
            `(${scanned} KMS events read${truncated ? ", more not read" : ""})`,
        fix:
            "Widen --since (events take a few minutes to appear); check that the AliyunCSManagedSecurityRole role exists " +
            "with AliyunCSManagedSecurityRolePolicy attached; write a Secret to make the API server call KMS.",
    };
}

/** At most this many problems of one document are named in a check's detail. */
const problemsNamed = 3;

/** A document's problems as a short list: the first few, and how many more. */
function problemList(problems: string[]): string {
    const more = problems.length - problemsNamed;
    return (
        problems.slice(0, problemsNamed).join("; ") + (more > 0 ? `; ${more} more problems` : "")
    );
}

/** A custom policy with its default version's document, read once for every cluster judged. */
export interface ReadPolicy {
    policyName: string;
    attachmentCount: number;
    document: unknown;
}

export interface ReadPolicies {
    policies: ReadPolicy[];
    /** How many custom policies the account has; more than `policies.length` when capped. */
    total: number;
}

/** Lists the custom policies and reads the documents of the first `limit`, attached ones first. */
export async function readCustomPolicies(client: RpcClient, limit = 200): Promise<ReadPolicies> {
    const listed = await withRetry(() => listCustomPolicies(client));
    // Attached policies first: they are the ones that protect anything.
    const ordered = [...listed].sort((a, b) => b.attachmentCount - a.attachmentCount);
    const policies: ReadPolicy[] = [];
    for (const policy of ordered.slice(0, limit)) {
        const document = await withRetry(() => getPolicyDocument(client, policy.policyName));
        policies.push({ ...policy, document });
    }
    return { policies, total: listed.length };
}

/** The Deny check of one cluster over documents already read. */
export function denyPolicyCheckOf(
    read: ReadPolicies,
    clusterId: string,
    regionId: string,
): CheckResult {
    const title = `A RAM policy denies ${updateKmsEncryptionAction}`;
    const id = checkIds.denyPolicy;
    const attached: string[] = [];
    const unattached: string[] = [];
    const unreadable: string[] = [];
    for (const policy of read.policies) {
        const judged = clusterDenyVerdict(
            policy.document,
            updateKmsEncryptionAction,
            clusterId,
            regionId,
        );
        if (judged.verdict === "unreadable") {
            unreadable.push(`${policy.policyName} (${problemList(judged.problems)})`);
        } else if (judged.verdict === "denies") {
            (policy.attachmentCount > 0 ? attached : unattached).push(policy.policyName);
        }
    }
    const readNote =
        read.total > read.policies.length
            ? ` (read ${read.policies.length} of ${read.total} custom policies)`
            : "";
    if (unreadable.length > 0) {
        // Fail closed: a document verify cannot read may hold the Deny, or only seem to.
        return {
            id,
            title,
            status: "fail",
            detail: `could not read custom ${unreadable.length === 1 ? "policy" : "policies"} ${unreadable.join(", ")}${readNote}`,
            fix: "Rewrite the document so it reads unambiguously (valid JSON without a byte-order mark, each key once, spelled as RAM spells it), then run verify again.",
        };
    }
    if (attached.length > 0) {
        return {
            id,
            title,
            status: "pass",
            detail: `${attached.join(", ")} denies it for this cluster and is attached${readNote}`,
        };
    }
    if (unattached.length > 0) {
        return {
            id,
            title,
            status: "fail",
            detail: `${unattached.join(", ")} denies it but is attached to no user, role or group${readNote}`,
            fix: "Attach it to the RAM users, roles or groups that operate the cluster (DenyKmsEncryptionUpdates does both).",
        };
    }
    return {
        id,
        title,
        status: "fail",
        detail: `no custom policy denies ${updateKmsEncryptionAction} on this cluster${readNote}`,
        fix: `Create and attach one without a Condition or NotResource: DenyKmsEncryptionUpdates (Pulumi), or a custom policy {"Effect":"Deny","Action":["${updateKmsEncryptionAction}"],"Resource":["*"]}.`,
    };
}

async function denyPolicyCheck(client: RpcClient, options: VerifyOptions): Promise<CheckResult> {
    const read = await readCustomPolicies(client, options.maxPoliciesRead ?? 200);
    return denyPolicyCheckOf(read, options.clusterId, options.regionId);
}

/** The check `run` makes, or, when its calls fail, a failed check saying what they need. */
async function checkOrFailedCall(
    run: () => Promise<CheckResult>,
    id: string,
    title: string,
    permission: string,
): Promise<CheckResult> {
    try {
        return await run();
    } catch (error) {
        return failedCall(id, title, error, permission);
    }
}

/** Runs every check against the cloud (or the given endpoints) and returns the report. */
export async function runVerifyChecks(options: VerifyOptions): Promise<VerifyReport> {
    const endpoints = options.endpoints ?? {};
    const common = { credentials: options.credentials, timeoutMs: options.timeoutMs };
    const cs = createCsClient({ regionId: options.regionId, endpoint: endpoints.cs, ...common });
    const kms = createKmsClient({ regionId: options.regionId, endpoint: endpoints.kms, ...common });
    const trail = createActionTrailClient({
        regionId: options.regionId,
        endpoint: endpoints.actiontrail,
        ...common,
    });
    const ram = createRamClient({ endpoint: endpoints.ram, ...common });
    const checks: CheckResult[] = [];

    let cluster: ClusterDetail | undefined;
    try {
        cluster = await withRetry(() => describeCluster(cs, options.clusterId));
        checks.push(clusterCheck(cluster, options.clusterId));
    } catch (error) {
        checks.push(
            failedCall(
                checkIds.clusterEncryption,
                "Secret encryption is on and names its KMS key",
                error,
                "cs:DescribeClusterDetail",
            ),
        );
    }

    const keyTitles = {
        [checkIds.keyEnabled]: "The key is Enabled and fit for Secrets",
        [checkIds.keyDeletionProtection]: "The key is protected from deletion",
        [checkIds.keyRotation]: "The key rotates automatically",
    };
    const keyCheckIds = [
        checkIds.keyEnabled,
        checkIds.keyDeletionProtection,
        checkIds.keyRotation,
    ] as const;
    if (cluster?.encryptionKeyId) {
        try {
            const key = await describeKey(kms, cluster.encryptionKeyId);
            checks.push(keyEnabledCheck(key), deletionProtectionCheck(key), rotationCheck(key));
        } catch (error) {
            for (const id of keyCheckIds) {
                checks.push(failedCall(id, keyTitles[id], error, "kms:DescribeKey"));
            }
        }
    } else {
        for (const id of keyCheckIds) {
            checks.push(skipped(id, keyTitles[id], "the cluster names no KMS key"));
        }
    }

    checks.push(
        await checkOrFailedCall(
            () => actionTrailCheck(trail, options),
            checkIds.actionTrail,
            "ActionTrail shows ACK encrypting with KMS",
            "actiontrail:LookupEvents",
        ),
        await checkOrFailedCall(
            () => denyPolicyCheck(ram, options),
            checkIds.denyPolicy,
            `A RAM policy denies ${updateKmsEncryptionAction}`,
            "ram:ListPolicies and ram:GetPolicy",
        ),
    );

    return {
        clusterId: options.clusterId,
        regionId: options.regionId,
        since: options.since.toISOString(),
        ok: checks.every((c) => c.status !== "fail") && checks.some((c) => c.status === "pass"),
        checks,
    };
}
