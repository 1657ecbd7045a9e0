// The KeyDeletionGuard provider object Pulumi serializes into the state, as a closure with everything
// it captures. It captures only plain settings (module paths, timeouts); at run time each method
// loads the operations module (./operations, which reaches KMS through cloud/) by path, so neither
// the serialized text nor declaring a guard loads the KMS SDK.

import type * as pulumi from "@pulumi/pulumi";
import {
    operationsModuleCandidates,
    operationsModuleLoader,
} from "../providers/serializedProvider";
import type { KeyDeletionGuardProviderSettings } from "./settings";

export type { KeyDeletionGuardProviderSettings } from "./settings";

/**
 * The package path a stack that installed ack-kms resolves the operations module by. The state keeps
 * it, so once ack-kms is released, moving the operations module needs a shim at this path.
 */
export const providerPackageModule = "ack-kms/lib/components/keyDeletionGuard/operations";

/** Where the dynamic provider host can load the operations module from, in order. */
export function providerModuleCandidates(): string[] {
    return operationsModuleCandidates(providerPackageModule, "operations", {
        dirname: __dirname,
        filename: __filename,
    });
}

type GuardOperations = Pick<
    typeof import("./operations"),
    "checkGuard" | "diffGuard" | "createGuard" | "updateGuard" | "deleteGuard" | "readGuard"
>;

/**
 * The provider object Pulumi serializes into the state. It captures `settings` only, and loads
 * the operations module when a method runs (in the dynamic provider host, long after serialization).
 */
export function createKeyDeletionGuardProvider(
    settings: KeyDeletionGuardProviderSettings,
): pulumi.dynamic.ResourceProvider {
    const load = operationsModuleLoader<GuardOperations>(
        "KeyDeletionGuard",
        settings.moduleCandidates,
    );
    return {
        check: async (olds, news) => load().checkGuard(olds, news),
        diff: async (id, olds, news) => load().diffGuard(id, olds, news),
        create: async (inputs) => load().createGuard(inputs, settings),
        update: async (id, olds, news) => load().updateGuard(id, olds, news, settings),
        read: async (id, props) => load().readGuard(id, props, settings),
        delete: async (id, props) => load().deleteGuard(id, props, settings),
    };
}
