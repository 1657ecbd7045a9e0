// The ExistingClusterEncryption provider object Pulumi serializes into the state, as a closure with
// everything it captures. As KeyDeletionGuard's does, it captures only plain settings (module paths,
// timings); each method loads the operations module (./existingClusterEncryptionProvider, which
// reaches CS and KMS through cloud/) by path when it runs, so declaring the resource loads no SDK.

import type * as pulumi from "@pulumi/pulumi";
import * as path from "path";

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

/** The operations module's package path; states written by earlier versions hold this same path. */
export const providerPackageModule =
    "ack-kms/lib/components/providers/existingClusterEncryptionProvider";

/** The installed package first, then the module next to this file, then (source checkout) its compiled twin in lib/. */
export function providerModuleCandidates(): string[] {
    const operations = path.join(__dirname, "existingClusterEncryptionProvider");
    const candidates = [providerPackageModule, operations];
    if (__filename.endsWith(".ts")) {
        const root = path.resolve(__dirname, "..", "..");
        candidates.push(path.join(root, "lib", path.relative(root, operations)));
    }
    return candidates;
}

type EncryptionOperations = Pick<
    typeof import("./existingClusterEncryptionProvider"),
    | "checkEncryption"
    | "diffEncryption"
    | "createEncryption"
    | "readEncryption"
    | "updateEncryption"
    | "deleteEncryption"
>;

/**
 * The provider object Pulumi serializes into the state. It captures `settings` only, and loads
 * the operations module when a method runs (in the dynamic provider host, long after serialization).
 */
export function createExistingClusterEncryptionProvider(
    settings: ExistingClusterEncryptionProviderSettings,
): pulumi.dynamic.ResourceProvider {
    const load = (): EncryptionOperations => {
        const tried: string[] = [];
        for (const candidate of settings.moduleCandidates) {
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(candidate) as EncryptionOperations;
            } catch (error) {
                const notFound =
                    (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" &&
                    String((error as Error).message)
                        .split("\n")[0]
                        .includes(`'${candidate}'`);
                if (!notFound) {
                    throw error;
                }
                tried.push(candidate);
            }
        }
        throw new Error(
            `ExistingClusterEncryption cannot load its provider module (tried ${tried.join(", ")}): install ack-kms in the stack (npm install ack-kms), or run npm run build in an ack-kms checkout.`,
        );
    };
    return {
        check: (olds, news) => load().checkEncryption(olds, news),
        diff: (id, olds, news) => load().diffEncryption(id, olds, news),
        create: (inputs) => load().createEncryption(inputs, settings),
        read: (id, props) => load().readEncryption(id, props, settings),
        update: (id, olds, news) => load().updateEncryption(id, olds, news, settings),
        delete: (id, props) => load().deleteEncryption(id, props, settings),
    };
}
