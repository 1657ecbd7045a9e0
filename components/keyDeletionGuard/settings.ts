// The plain settings a serialized KeyDeletionGuard provider captures: apart from the provider
// object (provider.ts) and the operations (operations.ts), which both use them.

/** Plain settings captured in the serialized provider. Nothing secret may go here. */
export interface KeyDeletionGuardProviderSettings {
    /** Module paths the operations module can be loaded from at run time, tried in order. */
    moduleCandidates: string[];
    /** Connect and read timeout of each KMS request. */
    timeoutMs?: number;
    retry?: {
        maxAttempts?: number;
        maxElapsedMs?: number;
        baseDelayMs?: number;
        maxDelayMs?: number;
    };
}
