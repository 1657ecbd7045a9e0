// Where a Resource Manager attachment makes its policy live: the whole account or one resource
// group; a Deny scoped to a resource group counts only for a cluster in that group.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes } from "../facts";
import { Known, readString } from "../known";
import { ClusterTarget } from "./clusterTarget";
import { TriState } from "./triState";

/** The scope of an attachment: undefined for the whole account, a resource group, or unknown. */
export function attachmentScope(attachment: PolicyResource): Known<string | undefined> {
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

/** Whether the cluster is within the scope. */
export function withinScope(scope: Known<string | undefined>, target: ClusterTarget): TriState {
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
