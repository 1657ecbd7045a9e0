// Shared by every dynamic provider (components/keyDeletionGuard/, existingClusterEncryption/);
// what only one provider needs lives in its component's folder.
//
// Where KeyDeletionGuard's and ExistingClusterEncryption's resources run. In a TypeScript program
// they are dynamic resources (`pulumi-nodejs:dynamic:Resource`), which need no plugin. Inside the
// ack-kms provider, constructing components for a Python, Go or YAML program, dynamic resources
// cannot work (the engine's shim resolves @pulumi/pulumi from the program's folder,
// pulumi/pulumi#5455), so they are custom resources of the provider itself, with the same inputs,
// outputs and operations (provider/resources.ts). The provider entry turns this on.
import * as pulumi from "@pulumi/pulumi";
import { resourceTypes } from "../../policy/facts";

let served = false;

/** Called by the provider entry (and tests): register served types from now on. */
export function serveFromProvider(on = true): void {
    served = on;
}

export function servedFromProvider(): boolean {
    return served;
}

/** The type a resource written by the dynamic path had, so its state is kept, not replaced. */
export const dynamicResourceAlias: pulumi.Alias = { type: resourceTypes.dynamicResource };

/** Options of a served resource: the caller's, plus the alias from the dynamic type. */
export function servedOptions(
    opts: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    return { ...opts, aliases: [...(opts.aliases ?? []), dynamicResourceAlias] };
}
