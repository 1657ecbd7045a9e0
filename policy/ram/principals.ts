// Which principal (user, role, group) a policy attachment targets: by name, or, while the name is
// unknown in preview, through the principal resource its name is computed from.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes } from "../facts";
import { Known, readString } from "../known";
import { propertyDependenciesOf } from "./propertyDependencies";

export type PrincipalKind = "user" | "role" | "group";

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

/** Whether the resource attaches a policy to a principal (RAM or Resource Manager). */
export function isPolicyAttachment(resource: PolicyResource): boolean {
    return resource.type in attachmentShapes;
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
export function linkedPrincipal(dep: PolicyResource, kind: PrincipalKind): string | undefined {
    const principal = principalTypes[dep.type];
    if (!principal || principal.kind !== kind) {
        return undefined;
    }
    const depName = firstKnownName(dep, principal.nameKeys);
    return depName.known && depName.value ? `${kind}:${depName.value}` : `${kind}:${dep.urn}`;
}

/** The principal an attachment targets; undefined when the attachment names none. */
export function principalOf(
    attachment: PolicyResource,
): { key: string; known: boolean } | undefined {
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
    for (const dep of propertyDependenciesOf(attachment, shape.nameKey)) {
        const key = linkedPrincipal(dep, kind as PrincipalKind);
        if (key) {
            return { key, known: true };
        }
    }
    return { key: `${kind}:${attachment.urn}`, known: false };
}
