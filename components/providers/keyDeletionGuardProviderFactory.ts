// The KeyDeletionGuard provider object Pulumi serializes into the state, as a closure with everything
// it captures. It captures only plain settings (module paths, timeouts); at run time each method
// loads the operations module (./keyDeletionGuardProvider, which reaches KMS through cloud/) by path,
// so neither the serialized text nor declaring a guard loads the KMS SDK.

import type * as pulumi from "@pulumi/pulumi";
import { operationsModuleCandidates, operationsModuleLoader } from "./serializedProvider";
import type { KeyDeletionGuardProviderSettings } from "./keyDeletionGuardSettings";

export type { KeyDeletionGuardProviderSettings } from "./keyDeletionGuardSettings";

/**
 * The package path a stack that installed ack-kms resolves the operations module by. States written
 * by earlier versions hold this same path, so the operations stay in that module.
 */
export const providerPackageModule = "ack-kms/lib/components/providers/keyDeletionGuardProvider";

/** Where the dynamic provider host can load the operations module from, in order. */
export function providerModuleCandidates(): string[] {
    return operationsModuleCandidates(providerPackageModule, "keyDeletionGuardProvider");
}

type GuardOperations = Pick<
    typeof import("./keyDeletionGuardProvider"),
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
