// Retries for Alibaba Cloud API calls: exponential backoff with full jitter, bounded both in
// attempts and in total time, and only for faults that a second try can fix.

import { CloudApiError, transportErrorCodes } from "./errors";

export interface RetryOptions {
    /** Attempts in all, the first included. Defaults to 5. */
    maxAttempts?: number;
    /** No retry starts once this much time has passed since the first attempt. Defaults to 60000 ms. */
    maxElapsedMs?: number;
    /** The backoff ceiling before the first retry; it doubles on each retry. Defaults to 200 ms. */
    baseDelayMs?: number;
    /** The largest backoff ceiling. Defaults to 10000 ms. */
    maxDelayMs?: number;
    /** Which errors are retried. Defaults to `isTransientCloudError`. */
    isRetryable?(error: unknown): boolean;
    /** Called before each wait, with the attempt that failed (1-based) and the wait. */
    onRetry?(error: unknown, attempt: number, delayMs: number): void;
    sleep?(ms: number): Promise<void>;
    /** A number in [0, 1); defaults to Math.random. */
    random?(): number;
}

export const defaultRetryOptions = {
    maxAttempts: 5,
    maxElapsedMs: 60_000,
    baseDelayMs: 200,
    maxDelayMs: 10_000,
} as const;

const transientCodes = new Set<string>([
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
    "ServiceUnavailableTemporary",
    "RequestTimeout",
    transportErrorCodes.timeout,
    transportErrorCodes.connectionDropped,
    transportErrorCodes.unreadableResponse,
]);

/** Throttling, 5xx, internal failures, timeouts and dropped connections: worth another try. */
export function isTransientCloudError(error: unknown): boolean {
    if (!(error instanceof CloudApiError)) {
        return false;
    }
    if (transientCodes.has(error.code) || /throttl/i.test(error.code)) {
        return true;
    }
    return error.statusCode !== undefined && error.statusCode >= 500;
}

/** The wait before retry number `retry` (1-based): uniform in [0, min(max, base * 2^(retry-1))). */
export function backoffDelayMs(
    retry: number,
    baseDelayMs: number,
    maxDelayMs: number,
    random: () => number,
): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
    return Math.floor(random() * ceiling);
}

function sleepFor(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable, runs out of
 * attempts, or would start a retry after `maxElapsedMs`. The last error is thrown unchanged.
 */
export async function withRetry<T>(
    operation: (attempt: number) => Promise<T>,
    options: RetryOptions = {},
): Promise<T> {
    const maxAttempts = options.maxAttempts ?? defaultRetryOptions.maxAttempts;
    const maxElapsedMs = options.maxElapsedMs ?? defaultRetryOptions.maxElapsedMs;
    const baseDelayMs = options.baseDelayMs ?? defaultRetryOptions.baseDelayMs;
    const maxDelayMs = options.maxDelayMs ?? defaultRetryOptions.maxDelayMs;
    const isRetryable = options.isRetryable ?? isTransientCloudError;
    const sleep = options.sleep ?? sleepFor;
    const random = options.random ?? Math.random;
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
        try {
            return await operation(attempt);
        } catch (error) {
            if (attempt >= maxAttempts || !isRetryable(error)) {
                throw error;
            }
            const delayMs = backoffDelayMs(attempt, baseDelayMs, maxDelayMs, random);
            if (Date.now() - startedAt + delayMs > maxElapsedMs) {
                throw error;
            }
            options.onRetry?.(error, attempt, delayMs);
            await sleep(delayMs);
        }
    }
}
