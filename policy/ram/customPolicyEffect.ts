// What the documents of one custom policy (a policy and its versions in the stack) grant and deny.
// A Deny counts for a cluster only when it surely applies to it: see denyScope in documents.ts.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes } from "../facts";
import { Known, readString, unknown } from "../known";
import { ClusterTarget } from "./clusterTarget";
import {
    denyScope,
    DenyScope,
    denyScopeCoversCluster,
    isUnreadable,
    statementAllows,
} from "./documents";
import { DocumentOf, documentsOf } from "./policySources";
import { propertyDependenciesOf } from "./propertyDependencies";
import { TriState } from "./triState";

/** One document's Deny scopes and the resources the document is computed from. */
export interface DocumentDenies {
    scopes: DenyScope[];
    dependsOn: Set<string>;
}

export interface CustomEffect {
    grants: TriState;
    /** Per document: its Deny scopes and the resources its document is computed from. */
    denies: Known<DocumentDenies[]>;
}

/**
 * Whether the live document of a custom policy is one the stack does not hold: a Resource Manager
 * policy whose `defaultVersion` names another version than v1 while none of its versions is in the
 * stack. Its Deny then does not count; unknown while `defaultVersion` is.
 */
export type UnseenLive = TriState;

export interface LiveDocuments {
    /** Per resource of the policy (the policy and its versions in the stack): its documents. */
    sources: Array<{ resource: PolicyResource; documents: Known<DocumentOf[]> | undefined }>;
    unseenLive: UnseenLive;
}

/**
 * The documents of one custom policy (its resources in the stack: the policy and its versions), as
 * documentsOf reads them, and whether its live document is one the stack does not hold. The one
 * reading for every policy judging whether an attached custom policy denies something.
 */
export function liveDocumentsOf(resources: PolicyResource[]): LiveDocuments {
    let unseenLive: UnseenLive = "no";
    const hasVersions = resources.some(
        (r) => r.type === resourceTypes.resourceManagerPolicyVersion,
    );
    const sources = resources.map((resource) => {
        if (resource.type === resourceTypes.resourceManagerPolicy) {
            // A default version other than v1 with no version in the stack: the live document is
            // one the pack cannot read, so the policy's Deny does not count.
            const live = readString(resource.props, "defaultVersion");
            if (!live.known) {
                unseenLive = "unknown";
            } else if (live.value && live.value !== "v1" && !hasVersions && unseenLive === "no") {
                unseenLive = "yes";
            }
        }
        return { resource, documents: documentsOf(resource.type, resource.props) };
    });
    return { sources, unseenLive };
}

export function effectOfDocuments(resources: PolicyResource[], action: string): CustomEffect {
    let grants: TriState = "no";
    const denies: DocumentDenies[] = [];
    const { sources, unseenLive } = liveDocumentsOf(resources);
    let deniesKnown = unseenLive !== "unknown";
    if (unseenLive === "yes") {
        denies.push({ scopes: [], dependsOn: new Set() });
    }
    for (const { resource, documents } of sources) {
        if (!documents || !documents.known) {
            grants = grants === "yes" ? "yes" : "unknown";
            deniesKnown = false;
            continue;
        }
        const dependsOn = new Set(
            [
                ...propertyDependenciesOf(resource, "policyDocument"),
                ...propertyDependenciesOf(resource, "document"),
                ...propertyDependenciesOf(resource, "statements"),
            ].map((d) => d.urn),
        );
        for (const { document } of documents.value) {
            if (!document.known) {
                grants = grants === "yes" ? "yes" : "unknown";
                deniesKnown = false;
                continue;
            }
            if (isUnreadable(document.value)) {
                // ram-no-allow-update-kms-encryption reports it; its Deny does not count.
                denies.push({ scopes: [], dependsOn });
                continue;
            }
            if (document.value.some((s) => statementAllows(s, action))) {
                grants = "yes";
            }
            denies.push({
                scopes: document.value
                    .map((s) => denyScope(s, action))
                    .filter((s): s is DenyScope => s !== undefined),
                dependsOn,
            });
        }
    }
    return { grants, denies: deniesKnown ? { known: true, value: denies } : unknown };
}

/** Whether every document denies the action on the cluster. */
export function documentsDenyCluster(effect: CustomEffect, target: ClusterTarget): TriState {
    if (!effect.denies.known) {
        return "unknown";
    }
    const list = effect.denies.value;
    const covers = (d: DocumentDenies) =>
        d.scopes.some(
            (s) =>
                s.allClusters ||
                (target.clusterId !== undefined &&
                    denyScopeCoversCluster(s, target.clusterId, target.regionId)) ||
                // A Deny narrowed to clusters by a document computed from this cluster, as
                // DenyKmsEncryptionUpdates writes it with clusterIds (its id is not given to
                // stack policies).
                (target.clusterId === undefined &&
                    d.dependsOn.has(target.urn) &&
                    s.clusterPatterns.length > 0),
        );
    return list.length > 0 && list.every(covers) ? "yes" : "no";
}

/** Whether every document denies the action on some ACK clusters. */
export function documentsDenySome(effect: CustomEffect): TriState {
    if (!effect.denies.known) {
        return "unknown";
    }
    const list = effect.denies.value;
    return list.length > 0 && list.every((d) => d.scopes.length > 0) ? "yes" : "no";
}
