// How a cluster is bound to its Secret encryption key, seen from a stack policy: the pack's words
// over the shared binding graph (policy/verdicts/binding.ts), which plan's report also shows, so the
// two always name the same keys. This module only adapts the SDK's PolicyResource to the graph's
// resource view and adds what the pack's messages need (labels, regions).
import { PolicyResource } from "@pulumi/policy";
import {
    Binding,
    BindingGraph,
    BinderKind,
    clusterKind,
    ResourceView,
    sameKey,
} from "./verdicts/binding";
import { Known, readString, tryRead } from "./known";

export { clusterKind, sameKey };

interface PackView extends ResourceView {
    resource: PolicyResource;
}

function viewOf(resource: PolicyResource): PackView {
    const propertyDependencies: Record<string, string[]> = {};
    const deps = resource.propertyDependencies as Record<string, PolicyResource[] | undefined>;
    for (const property of Object.keys(deps)) {
        propertyDependencies[property] = (deps[property] ?? []).map((r) => r.urn);
    }
    return {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        propertyDependencies,
        read: (property) => tryRead(() => resource.props[property]),
        resource,
    };
}

export interface GuardInStack {
    resource: PolicyResource;
    keyId: Known<string | undefined>;
    regionId: Known<string | undefined>;
}

export interface ClusterBinding {
    /** The resource that binds: the cluster, or the ExistingClusterEncryption of an external one. */
    cluster: PolicyResource;
    kind: BinderKind;
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
    /** Whether the cluster asks for Secret encryption (the shared graph's verdict). */
    encrypts: Known<boolean>;
}

// One graph per stack policy run: the SDK hands each policy its own array of resources, and a
// policy that asks several questions of the same array builds the graph once.
const graphs = new WeakMap<readonly PolicyResource[], BindingGraph<PackView>>();

function graphOf(resources: readonly PolicyResource[]): BindingGraph<PackView> {
    let graph = graphs.get(resources);
    if (!graph) {
        graph = new BindingGraph(resources.map(viewOf));
        graphs.set(resources, graph);
    }
    return graph;
}

function guardInStack(view: PackView): GuardInStack {
    return {
        resource: view.resource,
        keyId: readString(view.resource.props, "keyId"),
        regionId: readString(view.resource.props, "regionId"),
    };
}

function clusterBinding(binding: Binding<PackView>): ClusterBinding {
    return {
        ...bindingShape(binding.binder.resource, binding.kind),
        cluster: binding.binder.resource,
        kind: binding.kind,
        keyInput: binding.keyInput,
        keyRef: binding.keyRef,
        keys: binding.keys.map((k) => k.resource),
        guards: binding.guards.map(guardInStack),
        encrypts: binding.encrypts,
    };
}

/** How preview notices name the region a resource's provider config gives. */
export const providerRegionInput = "the region (provider config)";

type BindingShape = Pick<
    ClusterBinding,
    "clusterLabel" | "resourceLabel" | "region" | "regionInput"
>;

/** How the pack's messages name a binder and where its region comes from. */
function bindingShape(resource: PolicyResource, kind: BinderKind): BindingShape {
    if (kind !== "existing") {
        return {
            clusterLabel: `cluster ${resource.name}`,
            resourceLabel: `cluster ${resource.name}`,
            region: providerRegionOf(resource),
            regionInput: providerRegionInput,
        };
    }
    const clusterId = readString(resource.props, "clusterId");
    const resourceLabel = `existing cluster encryption ${resource.name}`;
    return {
        clusterLabel:
            clusterId.known && clusterId.value
                ? `cluster ${clusterId.value}`
                : `the cluster of ${resourceLabel}`,
        resourceLabel,
        region: readString(resource.props, "regionId"),
        regionInput: "regionId",
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

/** The clusters (of the stack or external) that ask for Secret encryption, with their keys. */
export function encryptedClusterBindings(resources: PolicyResource[]): ClusterBinding[] {
    return graphOf(resources).encrypting().map(clusterBinding);
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
