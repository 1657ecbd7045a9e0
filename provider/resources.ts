// The custom resources the ack-kms provider serves: KeyDeletionGuard's and
// ExistingClusterEncryption's resources as components/ registers them inside the provider
// (components/providers/servedByProvider.ts). Each call goes to the same provider object a
// TypeScript program serializes as a dynamic provider, so the operations (check, diff, create,
// read, update, delete in components/<component>/operations.ts) are one and the same.
import type * as pulumi from "@pulumi/pulumi";
import { resourceTypes } from "../policy/facts";
import {
    createExistingClusterEncryptionProvider,
    ExistingClusterEncryptionProviderSettings,
    providerModuleCandidates as encryptionModules,
} from "../components/existingClusterEncryption/provider";
import {
    createKeyDeletionGuardProvider,
    providerModuleCandidates as guardModules,
} from "../components/keyDeletionGuard/provider";

type Props = Record<string, unknown>;

/** The dynamic-provider object for a type, with the settings a dynamic resource would capture. */
const servedProviders: Record<string, (props: Props) => pulumi.dynamic.ResourceProvider> = {
    [resourceTypes.keyDeletionGuardResource]: () =>
        createKeyDeletionGuardProvider({ moduleCandidates: guardModules() }),
    [resourceTypes.existingClusterEncryptionResource]: (props) =>
        createExistingClusterEncryptionProvider({
            moduleCandidates: encryptionModules(),
            timing: props.providerTiming as ExistingClusterEncryptionProviderSettings["timing"],
        }),
};

/** The resource type a URN names (the last type of its parent chain). */
export function typeOfUrn(urn: string): string {
    const types = urn.split("::")[2] ?? "";
    return types.split("$").pop() ?? "";
}

export function servedProvider(urn: string, props: Props): pulumi.dynamic.ResourceProvider {
    const type = typeOfUrn(urn);
    const make = servedProviders[type];
    if (!make) {
        const known = Object.keys(servedProviders).join(", ");
        throw new Error(`ack-kms: no custom resource "${type}"; this provider serves ${known}.`);
    }
    return make(props ?? {});
}

/** A provider method that must exist on every served provider. */
export function method<K extends keyof pulumi.dynamic.ResourceProvider>(
    provider: pulumi.dynamic.ResourceProvider,
    name: K,
): NonNullable<pulumi.dynamic.ResourceProvider[K]> {
    const fn = provider[name];
    if (!fn) throw new Error(`ack-kms: the served provider has no ${String(name)}.`);
    return fn.bind(provider) as NonNullable<pulumi.dynamic.ResourceProvider[K]>;
}
