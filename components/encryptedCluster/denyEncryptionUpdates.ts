// The RAM denies of an EncryptedCluster (`denyEncryptionUpdates`): a DenyKmsEncryptionUpdates on
// this cluster's id that, by default, also protects the bound key from the same principals.
import * as pulumi from "@pulumi/pulumi";
import {
    ackServiceRoleProblem,
    DenyKmsEncryptionUpdates,
    denyKmsEncryptionUpdatesArgNames,
    validateDenyArgsExceptDefaults,
} from "../denyKmsEncryptionUpdates";
import {
    argsObjectProblems,
    invalid,
    objectArgProblem,
    prefixArgs,
    problemList,
} from "../validation";
import type { EncryptedClusterArgs } from "./args";

type DenyArgs = NonNullable<EncryptedClusterArgs["denyEncryptionUpdates"]>;

/** The names `denyEncryptionUpdates` takes: the child's, but the cluster ids EncryptedCluster sets. */
const denyArgNames = denyKmsEncryptionUpdatesArgNames.filter((n) => n !== "clusterIds");

/** The warning for principals denied encryption updates who may still destroy the key. */
export const unprotectedKeyWarning =
    "[denyEncryptionUpdates.protectKeys] false: the principals denied encryption updates may still disable or delete the cluster's key.";

/**
 * The problems with `denyEncryptionUpdates`, named from the cluster's view. The policy name
 * defaults from the child's own name and protectKeys from the bound key, both made later: only
 * given ones are checked here (through the child's validateDenyArgsExceptDefaults), the rest by
 * the child.
 */
export function denyEncryptionUpdatesProblems(deny: DenyArgs | undefined): string[] {
    const shape = objectArgProblem(
        "denyEncryptionUpdates",
        deny,
        "DenyKmsEncryptionUpdates args (an object with users, roles or groups)",
    );
    if (deny === undefined || shape !== undefined) {
        return problemList([shape]);
    }
    const { clusterIds, ...given } = deny as DenyArgs & { clusterIds?: unknown };
    // Names it does not take are told once, here, with the names EncryptedCluster passes on.
    const passed = Object.fromEntries(
        Object.entries(given).filter(([name]) => denyArgNames.includes(name)),
    ) as DenyArgs;
    const childProblems = [
        ...argsObjectProblems("denyEncryptionUpdates", given, denyArgNames),
        ...validateDenyArgsExceptDefaults({
            ...passed,
            protectKeys: passed.protectKeys === false ? undefined : passed.protectKeys,
        }),
        // The default protectKeys (the bound key) must not be denied to ACK's service role either.
        passed.protectKeys === undefined ? ackServiceRoleProblem(passed.roles) : undefined,
    ];
    return problemList([
        "clusterIds" in deny
            ? invalid(
                  "denyEncryptionUpdates.clusterIds",
                  clusterIds,
                  "is not allowed: EncryptedCluster fills it with this cluster's id; remove it.",
              )
            : undefined,
        ...problemList(childProblems).map((problem) =>
            prefixArgs("denyEncryptionUpdates", problem),
        ),
    ]);
}

/** Whether the args leave the bound key open to the principals denied encryption updates. */
export function leavesKeyUnprotected(deny: DenyArgs | undefined): boolean {
    return deny?.protectKeys === false;
}

/** The deny policy on this cluster and, unless `protectKeys: false`, on its key. */
export function createDenyEncryptionUpdates(
    name: string,
    deny: DenyArgs,
    clusterId: pulumi.Input<string>,
    keyId: pulumi.Input<string>,
    parent: pulumi.Resource,
): DenyKmsEncryptionUpdates {
    return new DenyKmsEncryptionUpdates(
        `${name}-deny-encryption-updates`,
        {
            ...deny,
            clusterIds: [clusterId],
            protectKeys: deny.protectKeys === false ? undefined : (deny.protectKeys ?? [keyId]),
        },
        { parent },
    );
}
