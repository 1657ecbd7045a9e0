// Which KMS key each ACK cluster's Secret encryption is bound to, found the way the policies find
// it: through the propertyDependencies of `encryptionProviderKey` (works in preview, when ids are
// unknown), else by id equality with a key's id, keyId or ARN, or with a KeyDeletionGuard's keyId.
// A cluster created outside the stack is bound by an ExistingClusterEncryption, through its `keyId`.
// The pack has its own copy of this idea (policy/bindings.ts): offline/ reaches packs only across
// process boundaries, and the two read different shapes (engine-encoded values here).
import * as facts from "../../policy/facts";
import { PolicyResource } from "../analyzer";
import { unknownSentinel as unknown, unwrapSecret as plain } from "../engineValues";
import { isSecret, secretText } from "./secrets";

export type BindingSource = "propertyDependencies" | "keyId" | "keyDeletionGuard" | "external";

export interface KeyBinding {
    /** The cluster, or the ExistingClusterEncryption that binds a cluster outside the stack. */
    clusterUrn: string;
    /** The key resource in the stack, when there is one. */
    keyUrn?: string;
    /** The literal key id or ARN the cluster names, when known; `[secret]` when it is a secret. */
    keyId?: string;
    /** KeyDeletionGuards that protect the bound key. */
    guardUrns: string[];
    /** How the binding was found. */
    source: BindingSource;
}

const clusterTypes = new Set<string>([
    facts.resourceTypes.managedCluster,
    facts.resourceTypes.serverlessCluster,
]);

export function isCluster(resource: PolicyResource): boolean {
    return clusterTypes.has(resource.type);
}

export function isKmsKey(resource: PolicyResource): boolean {
    return resource.type === facts.resourceTypes.kmsKey;
}

export function isKeyDeletionGuard(resource: PolicyResource): boolean {
    return isDynamicOfKind(resource, facts.keyDeletionGuardKind);
}

export function isExistingClusterEncryption(resource: PolicyResource): boolean {
    return isDynamicOfKind(resource, facts.existingClusterEncryptionKind);
}

function isDynamicOfKind(resource: PolicyResource, kind: string): boolean {
    return (
        facts.kindMarkedResourceTypes.includes(resource.type) &&
        plain(resource.properties.kind) === kind
    );
}

/** The input that names a binder's key: a cluster's encryptionProviderKey, else keyId. */
function keyPropertyOf(binder: PolicyResource): string {
    return isCluster(binder) ? "encryptionProviderKey" : "keyId";
}

/**
 * One binding per cluster that sets `encryptionProviderKey`, and per ExistingClusterEncryption, in
 * resource order.
 */
export function findKeyBindings(resources: PolicyResource[]): KeyBinding[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const keys = resources.filter(isKmsKey);
    const guards = resources.filter(isKeyDeletionGuard);
    const bindings: KeyBinding[] = [];

    const keyByLiteral = (literal: string): PolicyResource | undefined =>
        keys.find((key) => keyLiterals(key).some((l) => sameKey(l, literal)));
    const guardsOf = (keyUrn: string | undefined, keyId: string | undefined) =>
        guards
            .filter((guard) => {
                const viaDeps = (guard.propertyDependencies.keyId ?? []).some(
                    (urn) => urn === keyUrn,
                );
                const guarded = plain(guard.properties.keyId);
                const viaValue =
                    typeof guarded === "string" &&
                    guarded !== unknown &&
                    ((keyId !== undefined && sameKey(guarded, keyId)) ||
                        (keyUrn !== undefined &&
                            keyLiterals(byUrn.get(keyUrn)).some((l) => sameKey(l, guarded))));
                return viaDeps || viaValue;
            })
            .map((guard) => guard.urn);

    for (const cluster of resources.filter((r) => isCluster(r) || isExistingClusterEncryption(r))) {
        const keyProperty = keyPropertyOf(cluster);
        const secretLiteral = isSecret(cluster.properties[keyProperty]);
        const value = plain(cluster.properties[keyProperty]);
        const literal =
            typeof value === "string" && value !== unknown && value !== "" ? value : undefined;
        const dependencies = cluster.propertyDependencies[keyProperty] ?? [];
        if (value === undefined && dependencies.length === 0) {
            continue;
        }
        let keyUrn: string | undefined;
        let source: BindingSource = "external";
        const dependencyKey = dependencies
            .map((urn) => byUrn.get(urn))
            .find((r) => r && isKmsKey(r));
        const dependencyGuard = dependencies
            .map((urn) => byUrn.get(urn))
            .find((r) => r && isKeyDeletionGuard(r));
        if (dependencyKey) {
            keyUrn = dependencyKey.urn;
            source = "propertyDependencies";
        } else if (literal && keyByLiteral(literal)) {
            keyUrn = keyByLiteral(literal)?.urn;
            source = "keyId";
        } else if (dependencyGuard) {
            // The cluster took the key from the guard's output: the guard's own keyId names the key.
            const guardKey = (dependencyGuard.propertyDependencies.keyId ?? [])
                .map((urn) => byUrn.get(urn))
                .find((r) => r && isKmsKey(r));
            keyUrn = guardKey?.urn;
            source = "keyDeletionGuard";
        } else if (
            literal &&
            guards.some((g) => sameKey(String(plain(g.properties.keyId)), literal))
        ) {
            source = "keyDeletionGuard";
        }
        const guardKeyId = dependencyGuard ? plain(dependencyGuard.properties.keyId) : undefined;
        // Matched on the plain value above; reported without it when it is a secret.
        const keyId = literal
            ? secretLiteral
                ? secretText
                : literal
            : typeof guardKeyId === "string" && guardKeyId !== unknown
              ? isSecret(dependencyGuard?.properties.keyId)
                  ? secretText
                  : guardKeyId
              : undefined;
        bindings.push({
            clusterUrn: cluster.urn,
            ...(keyUrn ? { keyUrn } : {}),
            ...(keyId ? { keyId } : {}),
            guardUrns: guardsOf(keyUrn, keyId),
            source,
        });
    }
    return bindings;
}

/** The literal ways a key can be named: its id, its keyId output and its ARN. */
function keyLiterals(key: PolicyResource | undefined): string[] {
    if (!key) return [];
    const values = [
        key.id,
        plain(key.outputs?.keyId),
        plain(key.outputs?.arn),
        plain(key.properties.keyId),
    ];
    return values.filter((v): v is string => typeof v === "string" && v !== "" && v !== unknown);
}

/** A key id matches itself and any ARN that ends in it (`acs:kms:<region>:<account>:key/<id>`). */
export function sameKey(a: string, b: string): boolean {
    return facts.keyIdOf(a) === facts.keyIdOf(b);
}
