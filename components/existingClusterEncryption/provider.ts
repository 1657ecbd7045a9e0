// The ExistingClusterEncryption provider object Pulumi serializes into the state, as a closure with
// everything it captures. As KeyDeletionGuard's does, it captures only plain settings (module paths,
// timings); each method loads the operations module (./operations, which reaches CS and KMS through
// cloud/) by path when it runs, so declaring the resource loads no SDK.

import type * as pulumi from "@pulumi/pulumi";
import {
    operationsModuleCandidates,
    operationsModuleLoader,
} from "../providers/serializedProvider";
import type { ExistingClusterEncryptionProviderSettings } from "./settings";

export type { ExistingClusterEncryptionProviderSettings } from "./settings";

/**
 * The operations module's package path. The state keeps it, so once ack-kms is released, moving the
 * operations module needs a shim at this path.
 */
export const providerPackageModule = "ack-kms/lib/components/existingClusterEncryption/operations";

/** Where the dynamic provider host can load the operations module from, in order. */
export function providerModuleCandidates(): string[] {
    return operationsModuleCandidates(providerPackageModule, "operations", {
        dirname: __dirname,
        filename: __filename,
    });
}

type EncryptionOperations = Pick<
    typeof import("./operations"),
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
    const load = operationsModuleLoader<EncryptionOperations>(
        "ExistingClusterEncryption",
        settings.moduleCandidates,
    );
    return {
        check: (olds, news) => load().checkEncryption(olds, news),
        diff: (id, olds, news) => load().diffEncryption(id, olds, news),
        create: (inputs) => load().createEncryption(inputs, settings),
        read: (id, props) => load().readEncryption(id, props, settings),
        update: (id, olds, news) => load().updateEncryption(id, olds, news, settings),
        delete: (id, props) => load().deleteEncryption(id, props, settings),
    };
}
