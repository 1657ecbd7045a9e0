// Re-encryption after key rotation for an EncryptedCluster (`reencryptOnRotation`): a Kubernetes
// provider from the cluster's kubeconfig and a SecretsReencryption whose rotation marker is the
// key's primary key version.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import type { KeyDeletionGuard } from "../keyDeletionGuard";
import { kubernetes } from "../kubernetes";
import {
    SecretsReencryption,
    secretsReencryptionArgNames,
    secretsReencryptionOptionProblems,
} from "../secretsReencryption";
import {
    argsObjectProblems,
    invalid,
    plainValueProblem,
    prefixArgs,
    problemList,
    redactingSecrets,
} from "../validation";
import type { ReencryptOnRotationOptions } from "./args";

const reencryptionArg = "reencryptOnRotation";
const afterHint = "pass the cluster's node pools, e.g. [nodePool], or a Promise of them.";

/** The names `reencryptOnRotation` options take: SecretsReencryption's, bar two, plus `after`. */
export const reencryptOnRotationOptionNames: readonly string[] = [
    ...secretsReencryptionArgNames.filter((n) => n !== "provider" && n !== "rotationMarker"),
    "after",
];

/** Checks the resources `reencryptOnRotation.after` waits for; returns the problem, if any. */
export function afterProblem(after: unknown): string | undefined {
    if (!Array.isArray(after)) {
        return invalid(
            `${reencryptionArg}.after`,
            after,
            `is not a list of resources: ${afterHint}`,
        );
    }
    const index = after.findIndex((item) => !pulumi.Resource.isInstance(item));
    return index < 0
        ? undefined
        : invalid(
              `${reencryptionArg}.after[${index}]`,
              after[index],
              `is not a resource: ${afterHint}`,
          );
}

/**
 * The problems with `reencryptOnRotation`: true, false, or SecretsReencryption options (the
 * child's checks of them, named from the cluster's view) and `after`.
 */
export function reencryptOnRotationProblems(value: unknown): string[] {
    if (value === undefined || value === false || value === true) {
        return [];
    }
    const notPlain = plainValueProblem(
        reencryptionArg,
        value,
        "true, false or SecretsReencryption options",
    );
    if (notPlain) {
        return [notPlain];
    }
    if (
        typeof value !== "object" ||
        value === null ||
        Array.isArray(value) ||
        pulumi.Resource.isInstance(value)
    ) {
        return [
            invalid(
                reencryptionArg,
                value,
                "is not valid: use true, false or SecretsReencryption options (mode, namespaces, image, ...).",
            ),
        ];
    }
    const options = value as ReencryptOnRotationOptions & Record<string, unknown>;
    // EncryptedCluster makes provider and rotationMarker itself; only the options are checked.
    const { after, provider, rotationMarker, ...reencryptionOptions } = options;
    const asChildNames = (problems: string[]) =>
        problems.map((problem) => prefixArgs(reencryptionArg, problem));
    return problemList([
        // TypeScript callers cannot pass these (Omit); JavaScript callers get a clear error instead.
        provider === undefined
            ? undefined
            : `[${reencryptionArg}.provider] is not allowed: EncryptedCluster builds the Kubernetes provider from the cluster's kubeconfig; remove it.`,
        rotationMarker === undefined
            ? undefined
            : `[${reencryptionArg}.rotationMarker] is not allowed: EncryptedCluster sets it to the key's primaryKeyVersion; remove it.`,
        ...asChildNames(
            argsObjectProblems(
                reencryptionArg,
                reencryptionOptions,
                reencryptOnRotationOptionNames,
            ),
        ),
        // A Promise of node pools is checked once it resolves.
        after === undefined || after instanceof Promise ? undefined : afterProblem(after),
        ...asChildNames(secretsReencryptionOptionProblems(reencryptionOptions)),
    ]);
}

/** The SecretsReencryption options valid `reencryptOnRotation` asks for, or undefined when off. */
export function reencryptionOptions(value: unknown): ReencryptOnRotationOptions | undefined {
    if (value === undefined || value === false) {
        return undefined;
    }
    return value === true ? {} : (value as ReencryptOnRotationOptions);
}

/**
 * The primary key version of a key this stack does not manage, looked up on every update (after
 * the guard, when there is one, has checked the key). An invoke rather than `alicloud.kms.Key.get`:
 * a read key would sit in the stack without `protect: true`, which the policy pack rejects.
 */
export function existingKeyVersion(
    keyId: pulumi.Output<string>,
    guard: KeyDeletionGuard | undefined,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const found = alicloud.kms.getKeysOutput(
        { ids: [keyId], enableDetails: true },
        { parent, dependsOn: guard ? [guard] : [] },
    );
    return pulumi.all([keyId, found.keys]).apply(async ([id, keys]) => {
        const key = keys?.find((k) => k.id === id || k.keyId === id);
        if (!key?.primaryKeyVersion) {
            const secret = await pulumi.isSecret(keyId);
            const message = redactingSecrets(secret ? [id] : [], () =>
                invalid(
                    "keyId",
                    id,
                    "has no primaryKeyVersion in alicloud.kms.getKeys: reencryptOnRotation needs the key in the provider's region (alicloud:region); check keyId.",
                ),
            );
            throw new pulumi.ResourceError(message, parent);
        }
        return key.primaryKeyVersion;
    });
}

/** The cluster's Kubernetes provider and the re-encryption of its Secrets. */
export interface Reencryption {
    provider: pulumi.ProviderResource;
    reencryption: SecretsReencryption;
}

/**
 * The re-encryption of the cluster's Secrets each time `rotationMarker` changes. Every Kubernetes
 * resource waits for its provider, so the node pools of `after` go there: the component's own
 * dependsOn does not reach its children.
 */
export function reencryptSecrets(
    name: string,
    options: ReencryptOnRotationOptions,
    cluster: pulumi.Resource,
    kubeconfig: pulumi.Output<string>,
    rotationMarker: pulumi.Input<string>,
    parent: pulumi.Resource,
): Reencryption {
    const { after, ...reencryptionOptions } = options;
    const dependsOn: pulumi.Input<pulumi.Resource[]> =
        after instanceof Promise
            ? after.then((pools) => {
                  const problem = afterProblem(pools);
                  if (problem) {
                      throw new pulumi.ResourceError(problem, parent);
                  }
                  return [cluster, ...pools];
              })
            : [cluster, ...(after ?? [])];
    const provider = new (kubernetes().Provider)(
        `${name}-k8s`,
        { kubeconfig },
        { parent, dependsOn },
    );
    const reencryption = new SecretsReencryption(
        `${name}-reencrypt`,
        { ...reencryptionOptions, provider, rotationMarker },
        { parent, dependsOn },
    );
    return { provider, reencryption };
}
