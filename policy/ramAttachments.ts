// Which principals of a stack hold, or are denied, a RAM action through their policy attachments.
// An attachment names its policy by name and type (System or Custom); a custom policy is found in
// the stack through `propertyDependencies` of `policyName` (preview) or by name.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes, systemPoliciesGrantingUpdateKmsEncryption } from "./facts";
import { Known, readString } from "./known";
import {
    isUnreadable,
    policyResourceName,
    statementAllows,
    statementDenies,
    statementsOfPolicyResource,
} from "./ramDocuments";

export type PrincipalKind = "user" | "role" | "group";

/** yes, no, or cannot be known during preview */
export type TriState = "yes" | "no" | "unknown";

export interface AttachmentEffect {
    attachment: PolicyResource;
    /** `user:<name>`, `role:<name>`, `group:<name>`, or `<kind>:<urn>` of the principal resource while its name is unknown */
    principal: string;
    /** false when the principal cannot be told apart during preview (its name comes from elsewhere) */
    principalKnown: boolean;
    policyName: string | undefined;
    grants: TriState;
    denies: TriState;
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

/** The principal an attachment targets; undefined when the attachment names none. */
function principalOf(attachment: PolicyResource): { key: string; known: boolean } | undefined {
    const shape = attachmentShapes[attachment.type];
    let kind = shape.kind;
    if (!kind) {
        const type = readString(attachment.props, "principalType");
        kind = type.known ? resourceManagerKinds[(type.value ?? "").toLowerCase()] : undefined;
        if (!kind) {
            return undefined;
        }
    }
    const name = readString(attachment.props, shape.nameKey);
    if (name.known) {
        // Resource Manager names principals as <name>@<account domain>.
        return name.value ? { key: `${kind}:${name.value.split("@")[0]}`, known: true } : undefined;
    }
    for (const dep of dependencies(attachment, shape.nameKey)) {
        const principal = principalTypes[dep.type];
        if (principal && principal.kind === kind) {
            const depName = firstKnownName(dep, principal.nameKeys);
            return {
                key:
                    depName.known && depName.value
                        ? `${kind}:${depName.value}`
                        : `${kind}:${dep.urn}`,
                known: true,
            };
        }
    }
    return { key: `${kind}:${attachment.urn}`, known: false };
}

/** Grants and denies of the attachments in the stack for `action`. */
export function attachmentEffects(
    resources: PolicyResource[],
    action: string,
    options: { breakGlassPolicyNames: string[]; denyPolicyNames: string[] },
): AttachmentEffect[] {
    const customPolicies = new Set(
        resources.filter(
            (r) =>
                r.type === resourceTypes.ramPolicy ||
                r.type === resourceTypes.resourceManagerPolicy,
        ),
    );
    const policiesByName = new Map<string, PolicyResource[]>();
    for (const policy of customPolicies) {
        const policyName = policyResourceName(policy.props);
        if (policyName.known && policyName.value) {
            policiesByName.set(policyName.value, [
                ...(policiesByName.get(policyName.value) ?? []),
                policy,
            ]);
        }
    }
    const effectOfCustom = (policy: PolicyResource): { grants: TriState; denies: TriState } => {
        const statements = statementsOfPolicyResource(policy.props);
        if (!statements.known) {
            return { grants: "unknown", denies: "unknown" };
        }
        if (isUnreadable(statements.value)) {
            return { grants: "no", denies: "no" };
        }
        const list = statements.value;
        return {
            grants: list.some((s) => statementAllows(s, action)) ? "yes" : "no",
            denies: list.some((s) => statementDenies(s, action)) ? "yes" : "no",
        };
    };

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
        let denies: TriState = "no";
        if (!policyType.known) {
            grants = "unknown";
            denies = "unknown";
        } else if ((policyType.value ?? "").toLowerCase() === "system") {
            if (!policyName.known) {
                grants = "unknown";
            } else if (
                (systemPoliciesGrantingUpdateKmsEncryption as readonly string[]).includes(
                    name ?? "",
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
            // A break-glass policy linked in preview, while the attachment's policyName is unknown.
            const linkedBefore = linked.size;
            for (const policy of linked) {
                const policyName = policyResourceName(policy.props);
                if (
                    policyName.known &&
                    policyName.value &&
                    options.breakGlassPolicyNames.includes(policyName.value)
                ) {
                    linked.delete(policy);
                }
            }
            const linkedToBreakGlass = linkedBefore > 0 && linked.size === 0;
            if (linked.size > 0) {
                const found = [...linked].map(effectOfCustom);
                grants = merge(found.map((f) => f.grants));
                denies = merge(found.map((f) => f.denies));
            } else if (linkedToBreakGlass) {
                // Its policy is known, and allow-listed: what it grants does not count.
                grants = "no";
            } else if (!policyName.known) {
                grants = "unknown";
                denies = "unknown";
            } else if (name && options.denyPolicyNames.includes(name)) {
                denies = "yes";
            }
        }
        if (name && options.breakGlassPolicyNames.includes(name)) {
            grants = "no";
        }
        effects.push({
            attachment,
            principal: principal.key,
            principalKnown: principal.known,
            policyName: name,
            grants,
            denies,
        });
    }
    return effects;
}

function merge(states: TriState[]): TriState {
    if (states.includes("yes")) {
        return "yes";
    }
    return states.includes("unknown") ? "unknown" : "no";
}
