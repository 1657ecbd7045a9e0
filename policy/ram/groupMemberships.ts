// Which groups each user of the stack is a member of (a user gets the policies of its groups):
// ram/groupMembership and ram/userGroupAttachment, linked in preview through propertyDependencies.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes } from "../facts";
import { Known, readPlain, unknown } from "../known";
import { linkedPrincipal, PrincipalKind } from "./principals";
import { propertyDependenciesOf } from "./propertyDependencies";

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
    const linked = propertyDependenciesOf(resource, key)
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
