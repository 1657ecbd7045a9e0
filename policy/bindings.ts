// How a cluster is bound to its Secret encryption key, seen from a stack policy.
//
// A cluster's `encryptionProviderKey` links it to a key through `propertyDependencies` (this works
// in preview, when ids are unknown) or through its literal value: a key id equal to the id at the
// end of a key's `arn` (the engine gives stack policies no resource ids), or to the `keyId` of a
// KeyDeletionGuard. A guard is itself linked to its key the same two ways, or takes its `keyId`
// from the binding resource (its propertyDependencies name it).
//
// A cluster created outside the stack is bound by an ExistingClusterEncryption resource: its
// `keyId` links (external cluster `clusterId`, region `regionId`) to a key the same two ways.
import { PolicyResource } from "@pulumi/policy";
import {
    existingClusterEncryptionKind,
    keyDeletionGuardKind,
    keyIdOf,
    kindMarkedResourceTypes,
    resourceTypes,
} from "./facts";
import { Known, readString, tryRead } from "./known";

export type ClusterKind = "managed" | "serverless";

export function clusterKind(type: string): ClusterKind | undefined {
    if (type === resourceTypes.managedCluster) {
        return "managed";
    }
    if (type === resourceTypes.serverlessCluster) {
        return "serverless";
    }
    return undefined;
}

function isDynamicResourceOfKind(
    resource: { type: string; props: Record<string, unknown> },
    marker: string,
): boolean {
    if (!kindMarkedResourceTypes.includes(resource.type)) {
        return false;
    }
    const kind = readString(resource.props, "kind");
    return kind.known && kind.value === marker;
}

/** A dynamic resource whose inputs carry the KeyDeletionGuard marker. */
export function isKeyDeletionGuard(resource: {
    type: string;
    props: Record<string, unknown>;
}): boolean {
    return isDynamicResourceOfKind(resource, keyDeletionGuardKind);
}

/** A dynamic resource whose inputs carry the ExistingClusterEncryption marker. */
export function isExistingClusterEncryption(resource: {
    type: string;
    props: Record<string, unknown>;
}): boolean {
    return isDynamicResourceOfKind(resource, existingClusterEncryptionKind);
}

export interface GuardInStack {
    resource: PolicyResource;
    keyId: Known<string | undefined>;
    regionId: Known<string | undefined>;
}

/** A cluster of the stack, or an external cluster bound by an ExistingClusterEncryption. */
export type BindingKind = ClusterKind | "existing";

export interface ClusterBinding {
    /** The resource that binds: the cluster, or the ExistingClusterEncryption of an external one. */
    cluster: PolicyResource;
    kind: BindingKind;
    /** The cluster in messages: "cluster prod", or "cluster <clusterId>" for an external one. */
    clusterLabel: string;
    /** The binding resource in preview notices: "cluster prod", "existing cluster encryption enc". */
    resourceLabel: string;
    /** The input naming the key: `encryptionProviderKey`, or `keyId` for an external cluster. */
    keyInput: string;
    /** The key input's value: undefined when not set. */
    keyRef: Known<string | undefined>;
    /** The cluster's region: its provider's, or `regionId` for an external cluster. */
    region: Known<string | undefined>;
    /** The input the region comes from, for preview notices. */
    regionInput: string;
    /** Keys of the stack the cluster is bound to (directly or through a guard). */
    keys: PolicyResource[];
    /** Guards of the stack that guard the cluster's key. */
    guards: GuardInStack[];
}

/** Whether `ref` (a key id or ARN) names the key with this id or ARN. */
export function sameKey(ref: string, idOrArn: string): boolean {
    return keyIdOf(ref) === keyIdOf(idOrArn);
}

function keyArn(key: PolicyResource): string | undefined {
    const arn = readString(key.props, "arn");
    return arn.known ? arn.value : undefined;
}

function dependenciesOf(resource: PolicyResource, property: string): PolicyResource[] {
    const deps = resource.propertyDependencies as Record<string, PolicyResource[] | undefined>;
    return deps[property] ?? [];
}

/**
 * Every managed or serverless cluster of the stack, and every external cluster bound by an
 * ExistingClusterEncryption, with what it is bound to.
 */
export function clusterBindings(resources: PolicyResource[]): ClusterBinding[] {
    // Indexes keep this linear in the stack's size: stacks may hold tens of thousands of resources.
    const keys = new Set<PolicyResource>();
    const keysById = new Map<string, PolicyResource[]>();
    const guards = new Map<PolicyResource, GuardInStack>();
    const guardsByKeyId = new Map<string, GuardInStack[]>();
    const add = <T>(map: Map<string, T[]>, id: string, value: T) =>
        map.set(id, [...(map.get(id) ?? []), value]);
    for (const resource of resources) {
        if (resource.type === resourceTypes.kmsKey) {
            keys.add(resource);
            const arn = keyArn(resource);
            if (arn) {
                add(keysById, keyIdOf(arn), resource);
            }
        } else if (isKeyDeletionGuard(resource)) {
            const guard: GuardInStack = {
                resource,
                keyId: readString(resource.props, "keyId"),
                regionId: readString(resource.props, "regionId"),
            };
            guards.set(resource, guard);
            if (guard.keyId.known && guard.keyId.value) {
                add(guardsByKeyId, keyIdOf(guard.keyId.value), guard);
            }
        }
    }
    const keysByLiteral = (ref: string): PolicyResource[] => keysById.get(keyIdOf(ref)) ?? [];
    const keysOfGuard = (guard: GuardInStack): PolicyResource[] => {
        const linked = dependenciesOf(guard.resource, "keyId").filter((r) => keys.has(r));
        if (guard.keyId.known && guard.keyId.value) {
            linked.push(...keysByLiteral(guard.keyId.value));
        }
        return linked;
    };
    const guardsOfKey = new Map<PolicyResource, GuardInStack[]>();
    for (const guard of guards.values()) {
        for (const key of keysOfGuard(guard)) {
            guardsOfKey.set(key, [...(guardsOfKey.get(key) ?? []), guard]);
        }
    }

    // A guard that takes its keyId from a binding resource (e.g. ExistingClusterEncryption's
    // keyId output) guards that binding's key.
    const guardsFedBy = new Map<PolicyResource, GuardInStack[]>();
    for (const guard of guards.values()) {
        for (const dep of dependenciesOf(guard.resource, "keyId")) {
            const fed = guardsFedBy.get(dep);
            if (fed) {
                fed.push(guard);
            } else {
                guardsFedBy.set(dep, [guard]);
            }
        }
    }

    const bindings: ClusterBinding[] = [];
    for (const resource of resources) {
        const shape = bindingShape(resource);
        if (!shape) {
            continue;
        }
        const keyRef = readString(resource.props, shape.keyInput);
        const boundKeys = new Set<PolicyResource>();
        const boundGuards = new Set<GuardInStack>(guardsFedBy.get(resource) ?? []);
        for (const dep of dependenciesOf(resource, shape.keyInput)) {
            if (keys.has(dep)) {
                boundKeys.add(dep);
            }
            const guard = guards.get(dep);
            if (guard) {
                boundGuards.add(guard);
            }
        }
        if (keyRef.known && keyRef.value) {
            const ref = keyRef.value;
            keysByLiteral(ref).forEach((k) => boundKeys.add(k));
            (guardsByKeyId.get(keyIdOf(ref)) ?? []).forEach((g) => boundGuards.add(g));
        }
        for (const guard of [...boundGuards]) {
            keysOfGuard(guard).forEach((k) => boundKeys.add(k));
        }
        // A guard of a bound key guards the cluster's key too.
        for (const key of boundKeys) {
            (guardsOfKey.get(key) ?? []).forEach((g) => boundGuards.add(g));
        }
        bindings.push({
            ...shape,
            cluster: resource,
            keyRef,
            keys: [...boundKeys],
            guards: [...boundGuards],
        });
    }
    return bindings;
}

/** How preview notices name the region a resource's provider config gives. */
export const providerRegionInput = "the region (provider config)";

type BindingShape = Pick<
    ClusterBinding,
    "kind" | "clusterLabel" | "resourceLabel" | "keyInput" | "region" | "regionInput"
>;

/** What binds a key for this resource, or undefined when it binds none. */
function bindingShape(resource: PolicyResource): BindingShape | undefined {
    const kind = clusterKind(resource.type);
    if (kind) {
        return {
            kind,
            clusterLabel: `cluster ${resource.name}`,
            resourceLabel: `cluster ${resource.name}`,
            keyInput: "encryptionProviderKey",
            region: providerRegionOf(resource),
            regionInput: providerRegionInput,
        };
    }
    if (isExistingClusterEncryption(resource)) {
        const clusterId = readString(resource.props, "clusterId");
        const resourceLabel = `existing cluster encryption ${resource.name}`;
        return {
            kind: "existing",
            clusterLabel:
                clusterId.known && clusterId.value
                    ? `cluster ${clusterId.value}`
                    : `the cluster of ${resourceLabel}`,
            resourceLabel,
            keyInput: "keyId",
            region: readString(resource.props, "regionId"),
            regionInput: "regionId",
        };
    }
    return undefined;
}

/**
 * Whether the cluster asks for Secret encryption: a key is set and `disableEncryption` is not true.
 * An ExistingClusterEncryption always does: turning encryption on is what it is for.
 */
export function encryptionRequested(binding: ClusterBinding): Known<boolean> {
    if (binding.kind === "existing") {
        return { known: true, value: true };
    }
    const disabled = tryRead(() => binding.cluster.props.disableEncryption === true);
    if (!disabled.known) {
        return disabled;
    }
    if (disabled.value) {
        return { known: true, value: false };
    }
    if (!binding.keyRef.known) {
        return { known: true, value: true };
    }
    return {
        known: true,
        value:
            Boolean(binding.keyRef.value) ||
            dependenciesOf(binding.cluster, binding.keyInput).length > 0,
    };
}

/** The region in a resource's provider config: undefined when not set, `{ known: false }` in preview. */
export function providerRegionOf(resource: {
    provider?: { props: Record<string, unknown> };
}): Known<string | undefined> {
    if (!resource.provider) {
        return { known: true, value: undefined };
    }
    return readString(resource.provider.props, "region");
}

/** The region of a resource's provider (`region` in its provider config), when known. */
export function providerRegion(resource: {
    provider?: { props: Record<string, unknown> };
}): string | undefined {
    const region = providerRegionOf(resource);
    return region.known ? region.value : undefined;
}

/** A name to show in messages. */
export function describe(resource: { type: string; name: string }): string {
    return `${resource.name} (${resource.type})`;
}

/** The clusters (of the stack or external) that ask for Secret encryption, with their keys. */
export function encryptedClusterBindings(resources: PolicyResource[]): ClusterBinding[] {
    return clusterBindings(resources).filter((b) => {
        const requested = encryptionRequested(b);
        return requested.known && requested.value;
    });
}

/** Each (cluster, key) pair of the stack once, for the checks on bound keys. */
export function boundKeyPairs(
    resources: PolicyResource[],
): Array<{ binding: ClusterBinding; key: PolicyResource }> {
    const pairs: Array<{ binding: ClusterBinding; key: PolicyResource }> = [];
    for (const binding of encryptedClusterBindings(resources)) {
        for (const key of binding.keys) {
            pairs.push({ binding, key });
        }
    }
    return pairs;
}
