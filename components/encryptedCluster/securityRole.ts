// The RAM authorization ACK needs to call KMS for an EncryptedCluster: a ClusterSecurityRole
// (created by default, or looked up), or none with `securityRole: false`.
import * as pulumi from "@pulumi/pulumi";
import { ClusterSecurityRole, validateSecurityRoleArgs } from "../clusterSecurityRole";
import { objectArgProblem, prefixArgs } from "../validation";
import type { EncryptedClusterArgs } from "./args";

/** The problems with `securityRole`: false, or ClusterSecurityRole args (the child's checks). */
export function securityRoleProblems(role: EncryptedClusterArgs["securityRole"]): string[] {
    if (role === false) {
        return [];
    }
    const shape = objectArgProblem("securityRole", role, "ClusterSecurityRole args or false");
    if (shape !== undefined) {
        return [shape];
    }
    // The child checks its args too, but only once this component is registered.
    return role === undefined
        ? []
        : validateSecurityRoleArgs(role).map((problem) => prefixArgs("securityRole", problem));
}

/** The role, unless `securityRole: false`. */
export function createSecurityRole(
    name: string,
    role: EncryptedClusterArgs["securityRole"],
    parent: pulumi.Resource,
): ClusterSecurityRole | undefined {
    return role === false
        ? undefined
        : new ClusterSecurityRole(`${name}-security-role`, role ?? {}, { parent });
}

/**
 * The key input of the cluster. A role looked up (mode "existing") has no children to depend on;
 * carrying its check in the key input keeps the cluster from being created when the role is
 * missing.
 */
export function keyAfterRoleCheck(
    keyId: pulumi.Output<string>,
    role: ClusterSecurityRole | undefined,
): pulumi.Output<string> {
    return role?.mode === "existing"
        ? pulumi.all([keyId, role.roleName]).apply(([id]) => id)
        : keyId;
}
