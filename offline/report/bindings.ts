// Which KMS key each ACK cluster's Secret encryption is bound to, as plan's report shows it: the
// shared binding graph (policy/verdicts/binding.ts) that the pack judges, over the report's
// resources (engine-encoded values: unknown sentinels, secret objects), worded for the report.
import { BindingGraph, BindingSource, ResourceView, sameKey } from "../../policy/verdicts/binding";
import { known, unknown as notKnown } from "../../policy/verdicts/known";
import { PolicyResource } from "../analyzer";
import { unknownSentinel as unknown, unwrapSecret as plain } from "../engineValues";
import { isSecret, secretText } from "./secrets";

export { BindingSource, sameKey };

export interface KeyBinding {
    /** The cluster, or the ExistingClusterEncryption that binds a cluster outside the stack. */
    clusterUrn: string;
    /** The key resource in the stack, when there is one: the first of `keyUrns`. */
    keyUrn?: string;
    /** Every key resource the cluster is bound to (each one is judged), when more than one. */
    keyUrns?: string[];
    /** The literal key id or ARN the cluster names, when known; `[secret]` when it is a secret. */
    keyId?: string;
    /** KeyDeletionGuards that protect the bound key. */
    guardUrns: string[];
    /** How the binding was found. */
    source: BindingSource;
}

interface ReportView extends ResourceView {
    resource: PolicyResource;
}

/** A property as the pack reads it in AnalyzeStack: the outputs where they hold it, else the inputs. */
function readProperty(resource: PolicyResource, property: string): unknown {
    const outputs = resource.outputs;
    return outputs && property in outputs ? outputs[property] : resource.properties[property];
}

function viewOf(resource: PolicyResource): ReportView {
    return {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        propertyDependencies: resource.propertyDependencies,
        read: (property) => {
            const value = plain(readProperty(resource, property));
            return value === unknown ? notKnown : known(value);
        },
        resource,
    };
}

/** A literal as the report shows it: `[secret]` when the program gave it as a secret. */
function shownLiteral(resource: PolicyResource, property: string): string | undefined {
    const raw = readProperty(resource, property);
    const value = plain(raw);
    if (typeof value !== "string" || value === "" || value === unknown) {
        return undefined;
    }
    return isSecret(raw) ? secretText : value;
}

/**
 * One binding per cluster that asks for Secret encryption, and per ExistingClusterEncryption, in
 * resource order: the bindings the pack judges, with the keys it judges.
 */
export function findKeyBindings(resources: PolicyResource[]): KeyBinding[] {
    const graph = new BindingGraph(resources.map(viewOf));
    return graph.encrypting().map((binding) => {
        const keyUrns = binding.keys.map((k) => k.urn);
        // The literal the cluster names, else the keyId of the guard it took the key from.
        const guardFeeding = binding.binder.resource.propertyDependencies[binding.keyInput]
            ?.map((urn) => graph.resource(urn))
            .find((r) => r && binding.guards.includes(r));
        const keyId =
            shownLiteral(binding.binder.resource, binding.keyInput) ??
            (guardFeeding ? shownLiteral(guardFeeding.resource, "keyId") : undefined);
        return {
            clusterUrn: binding.binder.urn,
            ...(keyUrns.length > 0 ? { keyUrn: keyUrns[0] } : {}),
            ...(keyUrns.length > 1 ? { keyUrns } : {}),
            ...(keyId ? { keyId } : {}),
            guardUrns: binding.guards.map((g) => g.urn),
            source: binding.source,
        };
    });
}
