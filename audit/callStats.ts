// What an audit cost: API calls made (first attempts and retries) and the transient faults (mostly
// throttling) that were retried and survived. Counted where the calls go out, so the figures are
// the client's own, not an emulator's.
import { RpcClient } from "../cloud/openApiCall";
import { isTransientCloudError, RetryOptions, withRetry } from "../cloud/retry";

export interface CallStats {
    apiCalls: number;
    /** Calls answered with a fault worth retrying (throttling, 5xx, timeouts). */
    transientFaults: number;
    /** Of those, throttling answers. */
    throttled: number;
}

export function newCallStats(): CallStats {
    return { apiCalls: 0, transientFaults: 0, throttled: 0 };
}

function noteFault(stats: CallStats, error: unknown): void {
    if (isTransientCloudError(error)) {
        stats.transientFaults++;
        if (/throttl/i.test((error as { code?: string }).code ?? "")) {
            stats.throttled++;
        }
    }
}

/** An RPC client that counts each call and each transient fault it answers. */
export function countedRpcClient(client: RpcClient, stats: CallStats): RpcClient {
    return {
        service: client.service,
        async call(action, parameters) {
            stats.apiCalls++;
            try {
                return await client.call(action, parameters);
            } catch (error) {
                noteFault(stats, error);
                throw error;
            }
        },
    };
}

/**
 * Retry options that count: each attempt is a call, each retried fault is noted. For clients that
 * run retries themselves (the KMS client takes these as its `retry`).
 */
export function countingRetry(stats: CallStats, base: RetryOptions = {}): RetryOptions {
    return {
        ...base,
        onRetry(error, attempt, delayMs) {
            // The retry about to start is another call.
            stats.apiCalls++;
            noteFault(stats, error);
            base.onRetry?.(error, attempt, delayMs);
        },
    };
}

/** Runs one SDK call with retries, counting attempts and faults. */
export function countedCall<T>(
    stats: CallStats,
    operation: () => Promise<T>,
    retry: RetryOptions = {},
): Promise<T> {
    return withRetry(async () => {
        stats.apiCalls++;
        try {
            return await operation();
        } catch (error) {
            noteFault(stats, error);
            throw error;
        }
    }, retry);
}
