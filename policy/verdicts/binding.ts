// Which KMS key each ACK cluster's Secret encryption is bound to: one graph, built once per stack,
// that the pack judges and plan's report shows (before, each had its own algorithm and the report
// could name a different key than the pack judged).
//
// A binder (a managed or serverless cluster, or an ExistingClusterEncryption for a cluster outside
// the stack) names its key in one input (`encryptionProviderKey`, `keyId`). It is linked to a key
// through that input's propertyDependencies (works in preview, when ids are unknown) or through its
// literal value: a key id equal to the id at the end of a key's `arn` (the engine gives stack
// policies no resource ids), or to the `keyId` of a KeyDeletionGuard. A guard is linked to its key
// the same two ways, or takes its `keyId` from the binder (its propertyDependencies name it).
// Every key reached counts: the pack judges each, so the report names each.
//
// Imports nothing that loads an SDK: the pack, offline/ and cloud/ all use it.
import {
    existingClusterEncryptionKind,
    keyDeletionGuardKind,
    keyIdOf,
    kindMarkedResourceTypes,
    resourceTypes,
} from "../facts";
import { asText, known, Known } from "./known";

/** The little of a resource the graph reads; the pack and the report each adapt theirs to it. */
export interface ResourceView {
    urn: string;
    type: string;
    name: string;
    /** Property name -> URNs of the resources its value came from. */
    propertyDependencies: Readonly<Record<string, readonly string[] | undefined>>;
    /** A property (outputs where known, else inputs), secrets unwrapped; unknown in preview. */
    read(property: string): Known<unknown>;
}

export type ClusterKind = "managed" | "serverless";
/** A cluster of the stack, or an external cluster bound by an ExistingClusterEncryption. */
export type BinderKind = ClusterKind | "existing";

/** How a binding's key was found: the first way that reached one (or a guard, or neither). */
export type BindingSource = "propertyDependencies" | "keyId" | "keyDeletionGuard" | "external";

export interface Binding<V extends ResourceView = ResourceView> {
    /** The cluster, or the ExistingClusterEncryption of an external cluster. */
    binder: V;
    kind: BinderKind;
    /** The input naming the key: `encryptionProviderKey`, or `keyId` for an external cluster. */
    keyInput: string;
    /** The key input's literal value: undefined when not set. */
    keyRef: Known<string | undefined>;
    /** Keys of the stack the binder is bound to (directly or through a guard), in the order found. */
    keys: V[];
    /** KeyDeletionGuards of the stack that guard the binder's key. */
    guards: V[];
    source: BindingSource;
    /** Whether the binder asks for Secret encryption: a key is set and disableEncryption is not true. */
    encrypts: Known<boolean>;
}

export function clusterKind(type: string): ClusterKind | undefined {
    if (type === resourceTypes.managedCluster) {
        return "managed";
    }
    if (type === resourceTypes.serverlessCluster) {
        return "serverless";
    }
    return undefined;
}

function isDynamicOfKind(resource: Pick<ResourceView, "type" | "read">, marker: string): boolean {
    // Dynamic in TypeScript programs; served by the ack-kms provider in other languages.
    if (!kindMarkedResourceTypes.includes(resource.type)) {
        return false;
    }
    const kind = asText(resource.read("kind"));
    return kind.known && kind.value === marker;
}

/** A dynamic (or provider-served) resource whose inputs carry the KeyDeletionGuard marker. */
export function isKeyDeletionGuardView(resource: Pick<ResourceView, "type" | "read">): boolean {
    return isDynamicOfKind(resource, keyDeletionGuardKind);
}

/** A dynamic (or provider-served) resource whose inputs carry the ExistingClusterEncryption marker. */
export function isExistingClusterEncryptionView(
    resource: Pick<ResourceView, "type" | "read">,
): boolean {
    return isDynamicOfKind(resource, existingClusterEncryptionKind);
}

/** Whether `ref` (a key id or ARN) names the key with this id or ARN. */
export function sameKey(ref: string, idOrArn: string): boolean {
    return keyIdOf(ref) === keyIdOf(idOrArn);
}

/** The kind of binder a resource is, and the input that names its key; undefined for others. */
export function binderOf(
    resource: Pick<ResourceView, "type" | "read">,
): { kind: BinderKind; keyInput: string } | undefined {
    const kind = clusterKind(resource.type);
    if (kind) {
        return { kind, keyInput: "encryptionProviderKey" };
    }
    return isExistingClusterEncryptionView(resource)
        ? { kind: "existing", keyInput: "keyId" }
        : undefined;
}

/** The literal ids a key answers to: its `arn` and `keyId` outputs, where known. */
function keyLiterals(key: ResourceView): string[] {
    const literals: string[] = [];
    for (const property of ["arn", "keyId"]) {
        const value = asText(key.read(property));
        if (value.known && value.value) {
            literals.push(value.value);
        }
    }
    return literals;
}

function push<K, T>(map: Map<K, T[]>, key: K, value: T): void {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}

/**
 * The cluster -> key graph of one stack. Built in one pass over the resources with indexes by URN
 * and key id, so it stays linear in the stack's size (stacks may hold tens of thousands).
 */
export class BindingGraph<V extends ResourceView = ResourceView> {
    /** One binding per binder, in resource order. */
    readonly bindings: Binding<V>[] = [];
    private readonly byUrn = new Map<string, V>();
    private readonly keys = new Set<V>();
    private readonly keysById = new Map<string, V[]>();
    private readonly guards = new Set<V>();
    private readonly guardsByKeyId = new Map<string, V[]>();
    private readonly guardKeyRefs = new Map<V, Known<string | undefined>>();
    private readonly bindingsByUrn = new Map<string, Binding<V>>();

    constructor(resources: readonly V[]) {
        for (const resource of resources) {
            this.byUrn.set(resource.urn, resource);
            if (resource.type === resourceTypes.kmsKey) {
                this.keys.add(resource);
                for (const id of new Set(keyLiterals(resource).map(keyIdOf))) {
                    push(this.keysById, id, resource);
                }
            } else if (isKeyDeletionGuardView(resource)) {
                this.guards.add(resource);
                const keyRef = asText(resource.read("keyId"));
                this.guardKeyRefs.set(resource, keyRef);
                if (keyRef.known && keyRef.value) {
                    push(this.guardsByKeyId, keyIdOf(keyRef.value), resource);
                }
            }
        }
        const guardsOfKey = new Map<V, V[]>();
        // A guard that takes its keyId from a binder (e.g. ExistingClusterEncryption's keyId
        // output) guards that binder's key.
        const guardsFedBy = new Map<V, V[]>();
        for (const guard of this.guards) {
            for (const key of this.keysOfGuard(guard)) {
                push(guardsOfKey, key, guard);
            }
            for (const dep of this.dependenciesOf(guard, "keyId")) {
                push(guardsFedBy, dep, guard);
            }
        }
        for (const resource of resources) {
            const binder = binderOf(resource);
            if (!binder) {
                continue;
            }
            const keyRef = asText(resource.read(binder.keyInput));
            const direct = new Set<V>();
            const byLiteral = new Set<V>();
            const guards = new Set<V>(guardsFedBy.get(resource) ?? []);
            const deps = this.dependenciesOf(resource, binder.keyInput);
            for (const dep of deps) {
                if (this.keys.has(dep)) {
                    direct.add(dep);
                } else if (this.guards.has(dep)) {
                    guards.add(dep);
                }
            }
            if (keyRef.known && keyRef.value) {
                this.keysByLiteral(keyRef.value).forEach((k) => byLiteral.add(k));
                (this.guardsByKeyId.get(keyIdOf(keyRef.value)) ?? []).forEach((g) => guards.add(g));
            }
            const keys = new Set<V>([...direct, ...byLiteral]);
            for (const guard of [...guards]) {
                this.keysOfGuard(guard).forEach((k) => keys.add(k));
            }
            // A guard of a bound key guards the binder's key too.
            for (const key of keys) {
                (guardsOfKey.get(key) ?? []).forEach((g) => guards.add(g));
            }
            const source: BindingSource =
                direct.size > 0
                    ? "propertyDependencies"
                    : byLiteral.size > 0
                      ? "keyId"
                      : guards.size > 0
                        ? "keyDeletionGuard"
                        : "external";
            const binding: Binding<V> = {
                binder: resource,
                kind: binder.kind,
                keyInput: binder.keyInput,
                keyRef,
                keys: [...keys],
                guards: [...guards],
                source,
                encrypts: encryptionRequested(resource, binder.kind, keyRef, deps.length > 0),
            };
            this.bindings.push(binding);
            this.bindingsByUrn.set(resource.urn, binding);
        }
    }

    /** The resource with this URN. */
    resource(urn: string): V | undefined {
        return this.byUrn.get(urn);
    }

    /** The binding of the binder with this URN. */
    bindingOf(urn: string): Binding<V> | undefined {
        return this.bindingsByUrn.get(urn);
    }

    /** The keys of the stack a literal key id or ARN names. */
    keysByLiteral(ref: string): V[] {
        return this.keysById.get(keyIdOf(ref)) ?? [];
    }

    /** The bindings that ask for Secret encryption (known to). */
    encrypting(): Binding<V>[] {
        return this.bindings.filter((b) => b.encrypts.known && b.encrypts.value);
    }

    /** The keys a guard guards: through its keyId's dependencies, or by its literal keyId. */
    private keysOfGuard(guard: V): V[] {
        const linked = this.dependenciesOf(guard, "keyId").filter((r) => this.keys.has(r));
        const ref = this.guardKeyRefs.get(guard);
        if (ref?.known && ref.value) {
            linked.push(...this.keysByLiteral(ref.value));
        }
        return linked;
    }

    private dependenciesOf(resource: V, property: string): V[] {
        const urns = resource.propertyDependencies[property] ?? [];
        const found: V[] = [];
        for (const urn of urns) {
            const dep = this.byUrn.get(urn);
            if (dep) {
                found.push(dep);
            }
        }
        return found;
    }
}

/**
 * Whether the binder asks for Secret encryption: a key is set and `disableEncryption` is not true.
 * An ExistingClusterEncryption always does: turning encryption on is what it is for.
 */
function encryptionRequested(
    binder: ResourceView,
    kind: BinderKind,
    keyRef: Known<string | undefined>,
    hasKeyDependencies: boolean,
): Known<boolean> {
    if (kind === "existing") {
        return known(true);
    }
    const disabled = binder.read("disableEncryption");
    if (!disabled.known) {
        return disabled;
    }
    if (disabled.value === true) {
        return known(false);
    }
    if (!keyRef.known) {
        return known(true);
    }
    return known(Boolean(keyRef.value) || hasKeyDependencies);
}
