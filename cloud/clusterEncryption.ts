// Turning Secret encryption on (or off) for an ACK cluster that already exists, as the ACK guide's
// console steps do: check the cluster and the key, call UpdateKMSEncryption, and wait until the
// cluster is running again. Bounded everywhere: ACK refuses a second change within 5 minutes of the
// last one (HTTP 409), so that refusal is waited out within a budget, then reported.

import {
    ClusterDetail,
    clusterProblemsForEncryption,
    CsClient,
    describeCluster,
    explainForbiddenUpdate,
    forbiddenUpdateKmsStateCode,
    isEncryptionChangeConflict,
    updateKmsEncryption,
} from "./cs";
import { CloudApiError } from "./errors";
import { assertKeyFitForSecrets } from "./keyChecks";
import { describeKey, isKeyNotFoundError, KeyMetadata, KmsClient } from "./kms";
import { keyIdOf } from "../policy/facts";
import { withRetry } from "./retry";

export const clusterNotFoundCode = "ErrorClusterNotFound";

export class ClusterNotFoundError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ClusterNotFoundError";
    }
}

export interface EncryptionTiming {
    /** Between two reads of the cluster state, and the first wait after a 409. Defaults to 10 s. */
    pollIntervalMs?: number;
    /** The longest wait between two tries after a 409. Defaults to 30 s. */
    maxConflictDelayMs?: number;
    /** How long 409 answers are waited out before giving up. Defaults to 10 minutes. */
    conflictBudgetMs?: number;
    /** How long the cluster may stay `updating` after the change. Defaults to 30 minutes. */
    waitTimeoutMs?: number;
    sleep?(ms: number): Promise<void>;
    now?(): number;
}

export const defaultEncryptionTiming = {
    pollIntervalMs: 10_000,
    maxConflictDelayMs: 30_000,
    conflictBudgetMs: 10 * 60_000,
    waitTimeoutMs: 30 * 60_000,
} as const;

export interface EncryptionChangeContext {
    cs: CsClient;
    kms: KmsClient;
    clusterId: string;
    regionId: string;
    timing?: EncryptionTiming;
    /** Progress for the user (the Pulumi log). */
    log?(message: string): void;
    warn?(message: string): void;
}

export interface EncryptionChangeResult {
    /** False when the cluster was already in the wanted state and nothing was called. */
    changed: boolean;
    /** UpdateKMSEncryption calls made, 409 answers included. */
    updateCalls: number;
    conflicts: number;
    elapsedMs: number;
    cluster: ClusterDetail;
    key?: KeyMetadata;
}

function resolvedTiming(timing: EncryptionTiming = {}) {
    return {
        pollIntervalMs: timing.pollIntervalMs ?? defaultEncryptionTiming.pollIntervalMs,
        maxConflictDelayMs: timing.maxConflictDelayMs ?? defaultEncryptionTiming.maxConflictDelayMs,
        conflictBudgetMs: timing.conflictBudgetMs ?? defaultEncryptionTiming.conflictBudgetMs,
        waitTimeoutMs: timing.waitTimeoutMs ?? defaultEncryptionTiming.waitTimeoutMs,
        sleep: timing.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
        now: timing.now ?? Date.now,
    };
}

function seconds(ms: number): string {
    return `${Math.round(ms / 1000)}s`;
}

/** Whether the cluster's reported key is `key` (ACK may report the id or the ARN). */
export function isSameKey(reported: string | undefined, key: { keyId: string; arn?: string }) {
    if (!reported) {
        return false;
    }
    const reportedId = keyIdOf(reported);
    return reportedId === key.keyId || reported === key.arn;
}

async function readCluster(context: EncryptionChangeContext): Promise<ClusterDetail> {
    try {
        return await withRetry(() => describeCluster(context.cs, context.clusterId));
    } catch (error) {
        if (error instanceof CloudApiError && error.code === clusterNotFoundCode) {
            throw new ClusterNotFoundError(
                `[clusterId] "${context.clusterId}" was not found in ${context.regionId}: check the id and that the credentials' account owns it. ${error.message}`,
            );
        }
        throw error;
    }
}

async function readKey(context: EncryptionChangeContext, keyId: string): Promise<KeyMetadata> {
    try {
        return await describeKey(context.kms, keyId);
    } catch (error) {
        if (isKeyNotFoundError(error)) {
            throw new Error(
                `[keyId] "${keyId}" was not found in ${context.regionId}: the key must exist in the cluster's region. ${error.message}`,
            );
        }
        throw error;
    }
}

/** Waits until the cluster is running and `done` holds, reading it every poll interval. */
async function waitForCluster(
    context: EncryptionChangeContext,
    what: string,
    done: (cluster: ClusterDetail) => boolean,
): Promise<ClusterDetail> {
    const timing = resolvedTiming(context.timing);
    const startedAt = timing.now();
    for (;;) {
        const cluster = await readCluster(context);
        const elapsed = timing.now() - startedAt;
        if (cluster.state === "running" && done(cluster)) {
            context.log?.(
                `Cluster ${context.clusterId} is running: ${what} (${seconds(elapsed)}).`,
            );
            return cluster;
        }
        if (
            cluster.state === "failed" ||
            cluster.state === "deleting" ||
            cluster.state === "deleted"
        ) {
            throw new Error(
                `Cluster ${context.clusterId} went to state "${cluster.state}" while waiting for ${what}: see the cluster's event log in the ACK console.`,
            );
        }
        if (elapsed + timing.pollIntervalMs > timing.waitTimeoutMs) {
            throw new Error(
                `Cluster ${context.clusterId} is still "${cluster.state}" after ${seconds(elapsed)} waiting for ${what}: ` +
                    `it may still finish; check the ACK console, then run the update again.`,
            );
        }
        context.log?.(
            `Cluster ${context.clusterId} is ${cluster.state}, waiting for ${what} (${seconds(elapsed)} elapsed).`,
        );
        await timing.sleep(timing.pollIntervalMs);
    }
}

/** UpdateKMSEncryption, waiting out 409 answers within the budget. */
async function changeEncryption(
    context: EncryptionChangeContext,
    change: { keyId: string } | { disable: true },
    reached: (cluster: ClusterDetail) => boolean,
): Promise<{ calls: number; conflicts: number }> {
    const timing = resolvedTiming(context.timing);
    const startedAt = timing.now();
    let calls = 0;
    for (let conflicts = 0; ; conflicts++) {
        try {
            calls++;
            await withRetry(() => updateKmsEncryption(context.cs, context.clusterId, change));
            return { calls, conflicts };
        } catch (error) {
            if (error instanceof CloudApiError && error.code === forbiddenUpdateKmsStateCode) {
                throw new Error(explainForbiddenUpdate(error, context.clusterId));
            }
            if (!isEncryptionChangeConflict(error)) {
                throw error;
            }
            // A retried call whose first try went through also gets 409: nothing left to do then.
            if (reached(await readCluster(context))) {
                return { calls, conflicts: conflicts + 1 };
            }
            const delay = Math.min(
                timing.maxConflictDelayMs,
                timing.pollIntervalMs * 2 ** conflicts,
            );
            const elapsed = timing.now() - startedAt;
            if (elapsed + delay > timing.conflictBudgetMs) {
                throw new Error(
                    `ACK kept refusing to change Secret encryption on cluster ${context.clusterId} for ${seconds(elapsed)} ` +
                        `(HTTP 409: a change is allowed 5 minutes after the last one finished): try again later. ${(error as Error).message}`,
                );
            }
            context.log?.(
                `ACK allows one encryption change per 5 minutes on cluster ${context.clusterId} (HTTP 409); retrying in ${seconds(delay)}.`,
            );
            await timing.sleep(delay);
        }
    }
}

/** Reads the cluster, first waiting out a change still running on it. */
async function readSettledCluster(context: EncryptionChangeContext): Promise<ClusterDetail> {
    const cluster = await readCluster(context);
    if (cluster.state !== "updating") {
        return cluster;
    }
    return waitForCluster(context, "an earlier change to finish", () => true);
}

/** Sends the change, then waits until the cluster runs with it (`reached`). */
async function changeAndWait(
    context: EncryptionChangeContext,
    change: { keyId: string } | { disable: true },
    reached: (cluster: ClusterDetail) => boolean,
    what: string,
): Promise<{ changed: true; updateCalls: number; conflicts: number; cluster: ClusterDetail }> {
    const { calls, conflicts } = await changeEncryption(context, change, reached);
    const cluster = await waitForCluster(context, what, reached);
    return { changed: true, updateCalls: calls, conflicts, cluster };
}

/**
 * Turns Secret encryption on with `keyId`, or moves it to `keyId`. Does nothing when the cluster
 * already encrypts with that key.
 */
export async function enableClusterEncryption(
    context: EncryptionChangeContext,
    keyId: string,
): Promise<EncryptionChangeResult> {
    const timing = resolvedTiming(context.timing);
    const startedAt = timing.now();
    const cluster = await readSettledCluster(context);
    const problems = clusterProblemsForEncryption(cluster, context.regionId);
    if (problems.length > 0) {
        throw new Error(
            `[clusterId] "${context.clusterId}" cannot take Secret encryption: ${problems.join("; ")}.`,
        );
    }
    const key = await readKey(context, keyId);
    assertKeyFitForSecrets(key, `[keyId] "${keyId}" in ${context.regionId}`);
    const result = { cluster, key, updateCalls: 0, conflicts: 0 };
    if (cluster.encryptionEnabled && isSameKey(cluster.encryptionKeyId, key)) {
        context.log?.(`Cluster ${context.clusterId} already encrypts Secrets with ${key.keyId}.`);
        return { ...result, changed: false, elapsedMs: timing.now() - startedAt };
    }
    if (cluster.encryptionEnabled && cluster.encryptionKeyId) {
        context.warn?.(
            `Cluster ${context.clusterId} moves Secret encryption from ${cluster.encryptionKeyId} to ${key.keyId}: ` +
                `keep ${cluster.encryptionKeyId} enabled until every Secret is rewritten (SecretsReencryption).`,
        );
    }
    context.log?.(
        `Turning on Secret encryption for cluster ${context.clusterId} with ${key.keyId}.`,
    );
    const encryptsWithKey = (c: ClusterDetail) =>
        c.encryptionEnabled && isSameKey(c.encryptionKeyId, key);
    const outcome = await changeAndWait(
        context,
        { keyId: key.keyId },
        encryptsWithKey,
        "Secret encryption to be on",
    );
    return { ...outcome, elapsedMs: timing.now() - startedAt, key };
}

/** Turns Secret encryption off; does nothing when it is already off or the cluster is gone. */
export async function disableClusterEncryption(
    context: EncryptionChangeContext,
): Promise<EncryptionChangeResult> {
    const timing = resolvedTiming(context.timing);
    const startedAt = timing.now();
    const cluster = await readSettledCluster(context);
    if (!cluster.encryptionEnabled) {
        return { changed: false, updateCalls: 0, conflicts: 0, elapsedMs: 0, cluster };
    }
    context.log?.(`Turning off Secret encryption for cluster ${context.clusterId}.`);
    const isOff = (c: ClusterDetail) => !c.encryptionEnabled;
    const outcome = await changeAndWait(
        context,
        { disable: true },
        isOff,
        "Secret encryption to be off",
    );
    return { ...outcome, elapsedMs: timing.now() - startedAt };
}
