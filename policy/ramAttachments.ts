// Which principals of a stack hold, or are denied, a RAM action through their policy attachments
// and group memberships (the resource types are surveyed in ramPolicySources.ts).
// An attachment names its policy by name and type (System or Custom); a custom policy is found in
// the stack through `propertyDependencies` of `policyName` (preview) or by name. A Deny counts for
// a cluster only when it surely applies to it: see denyScope in ramDocuments.ts.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes, systemPoliciesGrantingUpdateKmsEncryption } from "./facts";
import { Known, readPlain, readString, unknown } from "./known";
import {
    denyScope,
    DenyScope,
    denyScopeCoversCluster,
    isUnreadable,
    parsePolicyDocument,
    statementAllows,
} from "./ramDocuments";
import { customPolicyTypes, documentsOf, policyResourceName } from "./ramPolicySources";

export type PrincipalKind = "user" | "role" | "group";

/** yes, no, or cannot be known during preview */
export type TriState = "yes" | "no" | "unknown";

/** A cluster a Deny must apply to. */
export interface ClusterTarget {
    /** The resource that binds the cluster (the cluster, or an ExistingClusterEncryption). */
    urn: string;
    /** The cluster id when known (an external cluster's); clusters of the stack have none here. */
    clusterId?: string;
    regionId?: string;
    /** The cluster's resource group, for Resource Manager attachments scoped to one. */
    resourceGroupId: Known<string | undefined>;
}

export interface AttachmentEffect {
    attachment: PolicyResource;
    /** `user:<name>`, `role:<name>`, `group:<name>`, or `<kind>:<urn>` of the principal resource while its name is unknown */
    principal: string;
    /** false when the principal cannot be told apart during preview (its name comes from elsewhere) */
    principalKnown: boolean;
    policyName: string | undefined;
    grants: TriState;
    /** Whether the attached policy denies the action on this cluster. */
    deniesCluster: (target: ClusterTarget) => TriState;
    /** Whether the attached policy denies the action on some ACK clusters (for stacks without one). */
    deniesSome: TriState;
    /**
     * The custom policies (and versions) of the stack the attachment attaches, for checks whose
     * Deny targets other resources than clusters (keys: ram-deny-key-destruction-attached).
     */
    linkedPolicies?: PolicyResource[];
    /** Whether its policy is, by name, one of `denyPolicyNames`; unknown while the name is. */
    deniesByName?: TriState;
    /** The attachment's Resource Manager scope: undefined for the account, or a resource group. */
    scope?: Known<string | undefined>;
}

const attachmentShapes: Record<string, { kind?: PrincipalKind; nameKey: string }> = {
    [resourceTypes.ramUserPolicyAttachment]: { kind: "user", nameKey: "userName" },
    [resourceTypes.ramRolePolicyAttachment]: { kind: "role", nameKey: "roleName" },
    [resourceTypes.ramGroupPolicyAttachment]: { kind: "group", nameKey: "groupName" },
    [resourceTypes.resourceManagerPolicyAttachment]: { nameKey: "principalName" },
};

const principalTypes: Record<string, { kind: PrincipalKind; nameKeys: string[] }> = {
    [resourceTypes.ramUser]: { kind: "user", nameKeys: ["name", "userName"] },
    [resourceTypes.ramRole]: { kind: "role", nameKeys: ["roleName", "name"] },
    [resourceTypes.resourceManagerRole]: { kind: "role", nameKeys: ["roleName"] },
    [resourceTypes.ramGroup]: { kind: "group", nameKeys: ["groupName", "name"] },
};

/** Resource Manager principal types (IMSUser, IMSGroup, ServiceRole) as RAM principal kinds. */
const resourceManagerKinds: Record<string, PrincipalKind> = {
    imsuser: "user",
    imsgroup: "group",
    servicerole: "role",
};

function dependencies(resource: PolicyResource, property: string): PolicyResource[] {
    return (
        (resource.propertyDependencies as Record<string, PolicyResource[] | undefined>)[property] ??
        []
    );
}

function firstKnownName(resource: PolicyResource, keys: string[]): Known<string | undefined> {
    for (const key of keys) {
        const value = readString(resource.props, key);
        if (!value.known || value.value) {
            return value;
        }
    }
    return { known: true, value: undefined };
}

/** The key of a principal resource linked through propertyDependencies: by name, else by urn. */
function linkedPrincipal(dep: PolicyResource, kind: PrincipalKind): string | undefined {
    const principal = principalTypes[dep.type];
    if (!principal || principal.kind !== kind) {
        return undefined;
    }
    const depName = firstKnownName(dep, principal.nameKeys);
    return depName.known && depName.value ? `${kind}:${depName.value}` : `${kind}:${dep.urn}`;
}

/** The principal an attachment targets; undefined when the attachment names none. */
function principalOf(attachment: PolicyResource): { key: string; known: boolean } | undefined {
    const shape = attachmentShapes[attachment.type];
    let kind: string | undefined = shape.kind;
    if (!kind) {
        const type = readString(attachment.props, "principalType");
        if (!type.known) {
            return { key: `principal:${attachment.urn}`, known: false };
        }
        // Fail closed: a principal type the pack cannot read is a principal of its own, which
        // no Deny attached elsewhere covers.
        kind = resourceManagerKinds[(type.value ?? "").toLowerCase()] ?? `${type.value ?? ""}`;
    }
    const name = readString(attachment.props, shape.nameKey);
    if (name.known) {
        // Resource Manager names principals as <name>@<account domain>.
        return name.value ? { key: `${kind}:${name.value.split("@")[0]}`, known: true } : undefined;
    }
    for (const dep of dependencies(attachment, shape.nameKey)) {
        const key = linkedPrincipal(dep, kind as PrincipalKind);
        if (key) {
            return { key, known: true };
        }
    }
    return { key: `${kind}:${attachment.urn}`, known: false };
}

/** What the documents of one custom policy (a policy and its versions) grant and deny. */
interface CustomEffect {
    grants: TriState;
    /** Per document: its Deny scopes and the resources its document is computed from. */
    denies: Known<Array<{ scopes: DenyScope[]; dependsOn: Set<string> }>>;
}

function effectOfDocuments(resources: PolicyResource[], action: string): CustomEffect {
    let grants: TriState = "no";
    const denies: Array<{ scopes: DenyScope[]; dependsOn: Set<string> }> = [];
    let deniesKnown = true;
    const hasVersions = resources.some(
        (r) => r.type === resourceTypes.resourceManagerPolicyVersion,
    );
    for (const resource of resources) {
        if (resource.type === resourceTypes.resourceManagerPolicy) {
            // A default version other than v1 with no version in the stack: the live document is
            // one the pack cannot read, so the policy's Deny does not count.
            const live = readString(resource.props, "defaultVersion");
            if (!live.known) {
                deniesKnown = false;
            } else if (live.value && live.value !== "v1" && !hasVersions) {
                denies.push({ scopes: [], dependsOn: new Set() });
            }
        }
        const documents = documentsOf(resource.type, resource.props);
        if (!documents || !documents.known) {
            grants = grants === "yes" ? "yes" : "unknown";
            deniesKnown = false;
            continue;
        }
        const dependsOn = new Set(
            [
                ...dependencies(resource, "policyDocument"),
                ...dependencies(resource, "document"),
                ...dependencies(resource, "statements"),
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
function documentsDenyCluster(effect: CustomEffect, target: ClusterTarget): TriState {
    if (!effect.denies.known) {
        return "unknown";
    }
    const list = effect.denies.value;
    const covers = (d: { scopes: DenyScope[]; dependsOn: Set<string> }) =>
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

function documentsDenySome(effect: CustomEffect): TriState {
    if (!effect.denies.known) {
        return "unknown";
    }
    const list = effect.denies.value;
    return list.length > 0 && list.every((d) => d.scopes.length > 0) ? "yes" : "no";
}

/** The scope of a Resource Manager attachment: the whole account, one resource group, unknown. */
function attachmentScope(attachment: PolicyResource): Known<string | undefined> {
    if (attachment.type !== resourceTypes.resourceManagerPolicyAttachment) {
        return { known: true, value: undefined };
    }
    const group = readString(attachment.props, "resourceGroupId");
    if (!group.known) {
        return group;
    }
    // An account id (digits) scopes the attachment to the whole account.
    return {
        known: true,
        value: group.value && !/^[0-9]+$/.test(group.value) ? group.value : undefined,
    };
}

function within(scope: Known<string | undefined>, target: ClusterTarget): TriState {
    if (!scope.known) {
        return "unknown";
    }
    if (scope.value === undefined) {
        return "yes";
    }
    if (!target.resourceGroupId.known) {
        return "unknown";
    }
    return target.resourceGroupId.value === scope.value ? "yes" : "no";
}

function and(a: TriState, b: TriState): TriState {
    if (a === "no" || b === "no") {
        return "no";
    }
    return a === "unknown" || b === "unknown" ? "unknown" : "yes";
}

/** Grants and denies of the attachments in the stack for `action`. */
export function attachmentEffects(
    resources: PolicyResource[],
    action: string,
    options: {
        breakGlassPolicyNames: string[];
        denyPolicyNames: string[];
        /** System policies that grant the action; defaults to those granting cs:UpdateKMSEncryption. */
        systemPoliciesGranting?: readonly string[];
    },
): AttachmentEffect[] {
    const systemGranting =
        options.systemPoliciesGranting ?? systemPoliciesGrantingUpdateKmsEncryption;
    const customPolicies = new Set(resources.filter((r) => customPolicyTypes.includes(r.type)));
    const nameOf = (policy: PolicyResource) => policyResourceName(policy.type, policy.props);
    const policiesByName = new Map<string, PolicyResource[]>();
    for (const policy of customPolicies) {
        const policyName = nameOf(policy);
        if (policyName.known && policyName.value) {
            policiesByName.set(policyName.value, [
                ...(policiesByName.get(policyName.value) ?? []),
                policy,
            ]);
        }
    }
    // The versions of a Resource Manager policy linked in preview through their policyName.
    const versionsOf = new Map<PolicyResource, PolicyResource[]>();
    for (const version of customPolicies) {
        if (version.type !== resourceTypes.resourceManagerPolicyVersion) {
            continue;
        }
        for (const policy of dependencies(version, "policyName")) {
            versionsOf.set(policy, [...(versionsOf.get(policy) ?? []), version]);
        }
    }

    const effects: AttachmentEffect[] = [];
    for (const attachment of resources) {
        if (!(attachment.type in attachmentShapes)) {
            continue;
        }
        const principal = principalOf(attachment);
        if (!principal) {
            continue;
        }
        const policyType = readString(attachment.props, "policyType");
        const policyName = readString(attachment.props, "policyName");
        const name = policyName.known ? policyName.value : undefined;
        let grants: TriState = "no";
        let custom: CustomEffect | undefined;
        let linkedPolicies: PolicyResource[] = [];
        let deniesByName: TriState = "no";
        if (!policyType.known) {
            grants = "unknown";
            deniesByName = "unknown";
        } else if (policyType.value !== "System" && policyType.value !== "Custom") {
            // Fail closed: a policyType the pack cannot read ("system ", "SYSTEM", none) may
            // attach a system policy that grants everything; it is taken as a grant, no Deny.
            grants = "yes";
        } else if (policyType.value === "System") {
            if (!policyName.known) {
                grants = "unknown";
            } else if (
                (systemGranting as readonly string[]).some(
                    (p) => p.toLowerCase() === (name ?? "").trim().toLowerCase(),
                )
            ) {
                grants = "yes";
            }
        } else {
            const linked = new Set(
                dependencies(attachment, "policyName").filter((d) => customPolicies.has(d)),
            );
            if (name) {
                (policiesByName.get(name) ?? []).forEach((p) => linked.add(p));
            }
            for (const policy of [...linked]) {
                (versionsOf.get(policy) ?? []).forEach((v) => linked.add(v));
            }
            // A break-glass policy linked in preview, while the attachment's policyName is unknown.
            const linkedBefore = linked.size;
            for (const policy of linked) {
                const linkedName = nameOf(policy);
                if (
                    linkedName.known &&
                    linkedName.value &&
                    options.breakGlassPolicyNames.includes(linkedName.value)
                ) {
                    linked.delete(policy);
                }
            }
            const linkedToBreakGlass = linkedBefore > 0 && linked.size === 0;
            if (linked.size > 0) {
                linkedPolicies = [...linked];
                custom = effectOfDocuments([...linked], action);
                grants = custom.grants;
            } else if (linkedToBreakGlass) {
                // Its policy is known, and allow-listed: what it grants does not count.
                grants = "no";
            } else if (!policyName.known) {
                grants = "unknown";
                deniesByName = "unknown";
            } else if (name && options.denyPolicyNames.includes(name)) {
                deniesByName = "yes";
            }
        }
        if (name && options.breakGlassPolicyNames.includes(name)) {
            grants = "no";
        }
        const scope = attachmentScope(attachment);
        const found = custom;
        effects.push({
            attachment,
            principal: principal.key,
            principalKnown: principal.known,
            policyName: name,
            grants,
            deniesCluster: (target) =>
                and(
                    within(scope, target),
                    found ? documentsDenyCluster(found, target) : deniesByName,
                ),
            deniesSome: found ? documentsDenySome(found) : deniesByName,
            linkedPolicies,
            deniesByName,
            scope,
        });
    }
    return effects;
}

/** The groups each user of the stack is a member of, by principal key (`user:<name>` -> `group:<name>`). */
export interface GroupMemberships {
    groupsOf: Map<string, Set<string>>;
    /** Memberships whose user or group cannot be told apart during preview. */
    unresolved: PolicyResource[];
}

function memberKey(
    resource: PolicyResource,
    key: string,
    kind: PrincipalKind,
): Known<string[] | undefined> {
    const value = readPlain(resource.props, key);
    if (value.known) {
        const names = typeof value.value === "string" ? [value.value] : value.value;
        if (Array.isArray(names) && names.every((n) => typeof n === "string" && n)) {
            return { known: true, value: (names as string[]).map((n) => `${kind}:${n}`) };
        }
        return { known: true, value: undefined };
    }
    const linked = dependencies(resource, key)
        .map((d) => linkedPrincipal(d, kind))
        .filter((k): k is string => k !== undefined);
    return linked.length > 0 ? { known: true, value: linked } : unknown;
}

export function groupMemberships(resources: PolicyResource[]): GroupMemberships {
    const groupsOf = new Map<string, Set<string>>();
    const unresolved: PolicyResource[] = [];
    for (const resource of resources) {
        const userKey =
            resource.type === resourceTypes.ramGroupMembership
                ? "userNames"
                : resource.type === resourceTypes.ramUserGroupAttachment
                  ? "userName"
                  : undefined;
        if (!userKey) {
            continue;
        }
        const groups = memberKey(resource, "groupName", "group");
        const users = memberKey(resource, userKey, "user");
        if (!groups.known || !users.known) {
            unresolved.push(resource);
            continue;
        }
        for (const user of users.value ?? []) {
            const set = groupsOf.get(user) ?? new Set<string>();
            (groups.value ?? []).forEach((g) => set.add(g));
            groupsOf.set(user, set);
        }
    }
    return { groupsOf, unresolved };
}

/**
 * What each CloudSSO access configuration grants its users in member accounts: its System policies
 * (AdministratorAccess...) and inline documents; the only Deny those users can get is an inline one
 * of the same configuration. Its principal is `accessConfiguration:<name>`.
 */
export function accessConfigurationEffects(
    resources: PolicyResource[],
    action: string,
    options: { breakGlassPolicyNames: string[] },
): AttachmentEffect[] {
    const effects: AttachmentEffect[] = [];
    for (const config of resources) {
        if (config.type !== resourceTypes.cloudSsoAccessConfiguration) {
            continue;
        }
        const name = readString(config.props, "accessConfigurationName");
        const principal = {
            key: `accessConfiguration:${name.known && name.value ? name.value : config.urn}`,
            known: name.known,
        };
        const list = readPlain(config.props, "permissionPolicies");
        if (!list.known) {
            effects.push({
                attachment: config,
                principal: principal.key,
                principalKnown: principal.known,
                policyName: undefined,
                grants: "unknown",
                deniesCluster: () => "unknown",
                deniesSome: "unknown",
            });
            continue;
        }
        const granting: string[] = [];
        const inline: CustomEffect[] = [];
        const dependsOn = new Set(dependencies(config, "permissionPolicies").map((d) => d.urn));
        for (const item of Array.isArray(list.value) ? list.value : []) {
            const p = (item ?? {}) as Record<string, unknown>;
            const policyName =
                typeof p.permissionPolicyName === "string" ? p.permissionPolicyName : "";
            if (options.breakGlassPolicyNames.includes(policyName)) {
                continue;
            }
            const document = p.permissionPolicyDocument;
            if (document === undefined || document === null) {
                // A System policy, or (fail closed) a policy of a type the pack cannot read.
                const harmlessSystemPolicy =
                    p.permissionPolicyType === "System" &&
                    !(systemPoliciesGrantingUpdateKmsEncryption as readonly string[]).some(
                        (s) => s.toLowerCase() === policyName.trim().toLowerCase(),
                    );
                if (!harmlessSystemPolicy) {
                    granting.push(policyName || "a permission policy");
                }
                continue;
            }
            const parsed = parsePolicyDocument(document);
            if (isUnreadable(parsed)) {
                continue;
            }
            if (parsed.some((s) => statementAllows(s, action))) {
                granting.push(policyName || "an inline policy");
            }
            inline.push({
                grants: "no",
                denies: {
                    known: true,
                    value: [
                        {
                            scopes: parsed
                                .map((s) => denyScope(s, action))
                                .filter((s): s is DenyScope => s !== undefined),
                            dependsOn,
                        },
                    ],
                },
            });
        }
        effects.push({
            attachment: config,
            principal: principal.key,
            principalKnown: principal.known,
            policyName: granting.length > 0 ? granting.join(", ") : undefined,
            grants: granting.length > 0 ? "yes" : "no",
            deniesCluster: (target) =>
                inline.some((e) => documentsDenyCluster(e, target) === "yes") ? "yes" : "no",
            deniesSome: inline.some((e) => documentsDenySome(e) === "yes") ? "yes" : "no",
        });
    }
    return effects;
}
