// The ACK cluster of an EncryptedCluster: exactly one of `cluster` (ACK Pro managed) and
// `serverless` (ACK Serverless Pro), checked for what Secret encryption needs (a Pro spec, the
// Default profile, no encryption fields of the caller's own), and created with the encryption
// config set: the bound key and `disableEncryption: false`.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import * as facts from "../../policy/facts";
import { judgeClusterSpec, suggestedClusterSpec } from "../../policy/verdicts/clusterSpec";
import { checkInput, invalid, isKnown, objectArgProblem, problemList } from "../validation";
import type {
    EncryptedClusterArgs,
    EncryptedManagedClusterArgs,
    EncryptedServerlessClusterArgs,
} from "./args";

/** The argument that holds the cluster's args, and the prefix of their names in messages. */
export type ClusterArgName = "cluster" | "serverless";

/**
 * How `deletionProtection` reads: `true`/`false` (also as the strings "true"/"false", which the
 * provider takes the same way), or undefined for anything else.
 */
export function deletionProtectionValue(value: unknown): boolean | undefined {
    if (value === true || value === "true") {
        return true;
    }
    if (value === false || value === "false") {
        return false;
    }
    return undefined;
}

function deletionProtectionProblem(argName: ClusterArgName, value: unknown): string | undefined {
    return deletionProtectionValue(value) === undefined
        ? invalid(
              `${argName}.deletionProtection`,
              value,
              "is not valid: use true or false; omit it for true.",
          )
        : undefined;
}

/** The warning for a cluster whose deletion protection is off. */
export function deletionProtectionWarning(argName: ClusterArgName, name: string): string {
    return (
        `[${argName}.deletionProtection] false lets cluster ${JSON.stringify(name)} be deleted ` +
        "through the API or console with all its Secrets."
    );
}

/** Checks one cluster spec (the shared verdict: any `ack.pro.*`); returns the problem, if any. */
export function clusterSpecProblem(argName: ClusterArgName, spec: unknown): string | undefined {
    const judged = judgeClusterSpec(spec);
    if (judged.verdict === "pro") {
        return undefined;
    }
    return invalid(
        `${argName}.clusterSpec`,
        spec,
        `is not allowed: Secret encryption with KMS needs ACK Pro; use an ack.pro.* spec such as ${suggestedClusterSpec}.`,
    );
}

/** Which of `cluster` and `serverless` the args use (when exactly one is set). */
export function clusterArgName(args: EncryptedClusterArgs): ClusterArgName {
    return args.cluster !== undefined ? "cluster" : "serverless";
}

/** The problems with `cluster` and `serverless`: exactly one, a plain object fit for encryption. */
export function clusterChoiceProblems(args: EncryptedClusterArgs): string[] {
    const shapes = problemList([
        objectArgProblem("cluster", args.cluster, "alicloud.cs.ManagedKubernetes args (an object)"),
        objectArgProblem(
            "serverless",
            args.serverless,
            "alicloud.cs.ServerlessKubernetes args (an object)",
        ),
    ]);
    if (args.cluster !== undefined && args.serverless !== undefined) {
        return [
            ...shapes,
            "[cluster, serverless] both are set: pass exactly one, cluster for ACK Pro or serverless for ACK Serverless Pro.",
        ];
    }
    if (args.cluster === undefined && args.serverless === undefined) {
        return [
            "[cluster, serverless] neither is set: pass cluster for ACK Pro or serverless for ACK Serverless Pro.",
        ];
    }
    if (shapes.length > 0) {
        return shapes;
    }
    const argName = clusterArgName(args);
    return clusterArgsProblems(
        argName,
        (args.cluster ?? args.serverless) as Record<string, unknown>,
    );
}

/** The problems with the plain fields of the chosen cluster args that encryption depends on. */
function clusterArgsProblems(argName: ClusterArgName, clusterArgs: Record<string, unknown>) {
    const { clusterSpec, profile, deletionProtection } = clusterArgs;
    return problemList([
        // TypeScript callers cannot pass these (Omit); JavaScript callers get a clear error instead.
        clusterArgs.encryptionProviderKey === undefined
            ? undefined
            : invalid(
                  `${argName}.encryptionProviderKey`,
                  clusterArgs.encryptionProviderKey,
                  "is not allowed: EncryptedCluster sets it from key or keyId; pass keyId instead.",
              ),
        clusterArgs.disableEncryption === undefined
            ? undefined
            : invalid(
                  `${argName}.disableEncryption`,
                  clusterArgs.disableEncryption,
                  "is not allowed: EncryptedCluster always sets it to false; remove it.",
              ),
        clusterSpec !== undefined && isKnown(clusterSpec)
            ? clusterSpecProblem(argName, clusterSpec)
            : undefined,
        argName === "cluster" && isKnown(profile) ? profileProblem(profile) : undefined,
        deletionProtection !== undefined && isKnown(deletionProtection)
            ? deletionProtectionProblem(argName, deletionProtection)
            : undefined,
    ]);
}

/** A managed cluster's profile: unset or "Default" (ACK Pro); returns the problem, if any. */
function profileProblem(profile: unknown): string | undefined {
    return profile === undefined || profile === "Default"
        ? undefined
        : invalid(
              "cluster.profile",
              profile,
              'is not allowed: Secret encryption needs an ACK Pro managed cluster (profile "Default"); use serverless for ACK Serverless Pro.',
          );
}

/**
 * The cluster, with Secret encryption on with `encryptionProviderKey`. A spec, a profile or a
 * deletion protection given as an Output is checked once known: a spec or profile that is not Pro
 * fails the deployment, and a deletion protection that resolves to false warns as a plain false
 * does.
 */
export function createEncryptedCluster(
    name: string,
    argName: ClusterArgName,
    clusterArgs: EncryptedManagedClusterArgs | EncryptedServerlessClusterArgs,
    encryptionProviderKey: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions & { parent: pulumi.Resource },
): alicloud.cs.ManagedKubernetes | alicloud.cs.ServerlessKubernetes {
    const parent = opts.parent;
    const clusterSpec = checkInput(
        isKnown(clusterArgs.clusterSpec)
            ? (clusterArgs.clusterSpec ?? facts.defaultClusterSpec)
            : pulumi.output(clusterArgs.clusterSpec).apply((s) => s ?? facts.defaultClusterSpec),
        (spec) => clusterSpecProblem(argName, spec),
        parent,
    );
    const deletionProtection =
        clusterArgs.deletionProtection === undefined
            ? true
            : isKnown(clusterArgs.deletionProtection)
              ? deletionProtectionValue(clusterArgs.deletionProtection)
              : checkInput(
                    clusterArgs.deletionProtection,
                    (value) => deletionProtectionProblem(argName, value),
                    parent,
                ).apply((value) => {
                    const on = deletionProtectionValue(value) as boolean;
                    if (!on) {
                        void pulumi.log.warn(deletionProtectionWarning(argName, name), parent);
                    }
                    return on;
                });
    // A profile given as an Output is checked once known, as the spec is (a plain one was checked
    // with the args).
    const givenProfile = (clusterArgs as { profile?: pulumi.Input<string> }).profile;
    const profile =
        argName === "cluster" && givenProfile !== undefined && !isKnown(givenProfile)
            ? { profile: checkInput(givenProfile, profileProblem, parent) }
            : {};
    const encrypted = {
        ...clusterArgs,
        ...profile,
        clusterSpec,
        deletionProtection,
        encryptionProviderKey,
        disableEncryption: false,
    };
    return argName === "cluster"
        ? new alicloud.cs.ManagedKubernetes(
              name,
              encrypted as alicloud.cs.ManagedKubernetesArgs,
              opts,
          )
        : new alicloud.cs.ServerlessKubernetes(
              name,
              encrypted as alicloud.cs.ServerlessKubernetesArgs,
              opts,
          );
}
