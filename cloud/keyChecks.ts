// What makes a KMS key fit to encrypt an ACK cluster's Secrets. Shared by KeyDeletionGuard,
// ExistingClusterEncryption and `ack-kms verify`, so all three refuse the same keys with the same words.

import { keyStates, secretsKeySpec, secretsKeyUsage } from "../policy/facts";
import type { KeyMetadata } from "./kms";

/** Why `key` cannot serve the API server; empty when it can. */
export function keyProblemsForSecrets(key: KeyMetadata): string[] {
    const problems: string[] = [];
    if (key.keyState === keyStates.pendingDeletion) {
        const when = key.deleteDate ? ` on ${key.deleteDate}` : "";
        problems.push(
            `it is scheduled for deletion${when} (PendingDeletion): cancel the deletion (CancelKeyDeletion) first`,
        );
    } else if (key.keyState !== keyStates.enabled) {
        problems.push(`its state is "${key.keyState}": it must be "${keyStates.enabled}"`);
    }
    if (key.keySpec !== secretsKeySpec) {
        problems.push(`its key spec is "${key.keySpec}": ACK accepts only "${secretsKeySpec}"`);
    }
    if (key.keyUsage !== secretsKeyUsage) {
        problems.push(`its usage is "${key.keyUsage}": it must be "${secretsKeyUsage}"`);
    }
    return problems;
}

export class KeyNotFitError extends Error {
    constructor(
        message: string,
        public readonly problems: string[],
    ) {
        super(message);
        this.name = "KeyNotFitError";
    }
}

/**
 * Throws one message listing every problem, e.g.
 * `[keyId] "key-1" in cn-hangzhou cannot encrypt Kubernetes Secrets: its state is "Disabled": it must be "Enabled".`
 * `context` names the argument and the key, as the caller's users know them.
 */
export function assertKeyFitForSecrets(key: KeyMetadata, context: string): void {
    const problems = keyProblemsForSecrets(key);
    if (problems.length > 0) {
        throw new KeyNotFitError(
            `${context} cannot encrypt Kubernetes Secrets: ${problems.join("; ")}.`,
            problems,
        );
    }
}
