// The plain settings a serialized ExistingClusterEncryption provider captures: apart from the
// provider object (provider.ts) and the operations (operations.ts), which both use them.

/** Plain settings captured in the serialized provider. Nothing secret may go here. */
export interface ExistingClusterEncryptionProviderSettings {
    /** Module paths the operations module can be loaded from at run time, tried in order. */
    moduleCandidates: string[];
    /** Connect and read timeout of each API request. */
    timeoutMs?: number;
    timing?: {
        pollIntervalMs?: number;
        maxConflictDelayMs?: number;
        conflictBudgetMs?: number;
        waitTimeoutMs?: number;
    };
}
