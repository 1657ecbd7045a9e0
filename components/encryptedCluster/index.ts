import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import * as facts from "../../policy/facts";
import {
    ClusterSecurityRole,
    ClusterSecurityRoleArgs,
    validateSecurityRoleArgs,
} from "../clusterSecurityRole";
import {
    DenyKmsEncryptionUpdates,
    DenyKmsEncryptionUpdatesArgs,
    denyKmsEncryptionUpdatesArgNames,
    ackServiceRoleProblem,
    validateDenyArgsExceptDefaults,
} from "../denyKmsEncryptionUpdates";
import {
    SecretsEncryptionKey,
    SecretsEncryptionKeyArgs,
    validateKeyArgs,
} from "../secretsEncryptionKey";
import { guardedKeyArgProblems, KeyDeletionGuard } from "../keyDeletionGuard";
import {
    SecretsReencryption,
    SecretsReencryptionArgs,
    secretsReencryptionArgNames,
    secretsReencryptionOptionProblems,
} from "../secretsReencryption";
import { kubernetes } from "../kubernetes";
import { judgeClusterSpec, suggestedClusterSpec } from "../../policy/verdicts/clusterSpec";
import { judgeKeyId } from "../../policy/verdicts/keyId";
import { notAKeyIdHint, regionIdProblems } from "../providers/inputChecks";
import {
    argNames,
    argsObjectProblem,
    booleanProblem,
    checkInput,
    invalid,
    isPlain,
    plainValueProblem,
    redactingSecrets,
    throwFirst,
    throwProblems,
    withArgPrefix,
} from "../validation";

/** The fields EncryptedCluster sets itself; TypeScript rejects them in `cluster` and `serverless`. */
type EncryptionFields = "encryptionProviderKey" | "disableEncryption";

/** ACK Pro managed cluster args, minus the encryption fields EncryptedCluster sets. */
export type EncryptedManagedClusterArgs = Omit<alicloud.cs.ManagedKubernetesArgs, EncryptionFields>;
/** ACK Serverless Pro cluster args, minus the encryption fields EncryptedCluster sets. */
export type EncryptedServerlessClusterArgs = Omit<
    alicloud.cs.ServerlessKubernetesArgs,
    EncryptionFields
>;

/** What `reencryptOnRotation` takes besides `true`: `SecretsReencryption` options and `after`. */
export interface ReencryptOnRotationOptions extends Omit<
    SecretsReencryptionArgs,
    "provider" | "rotationMarker"
> {
    /**
     * Resources the re-encryption waits for, such as the cluster's node pools
     * (`alicloud.cs.NodePool`). A managed cluster runs the Job on its worker nodes: without any,
     * the Job stays Pending until `timeoutMinutes` and the update fails. Node pools need the
     * cluster's id, so they are created after this component: pass a Promise and resolve it with
     * them (see the README). Plain value or Promise. Defaults to none.
     */
    after?: pulumi.Resource[] | Promise<pulumi.Resource[]>;
}

export interface EncryptedClusterArgs {
    /**
     * An ACK Pro managed cluster (`alicloud.cs.ManagedKubernetes`). `clusterSpec` must be an ACK Pro
     * spec, `ack.pro.*` (default `ack.pro.small`); `deletionProtection` defaults to `true` (`false`, also as "false" or an
     * Output that resolves to it, logs a warning). Exactly one of `cluster` and
     * `serverless`.
     */
    cluster?: EncryptedManagedClusterArgs;
    /**
     * An ACK Serverless Pro cluster (`alicloud.cs.ServerlessKubernetes`). `clusterSpec` must be
     * an ACK Pro spec, `ack.pro.*` (default `ack.pro.small`, the one Alibaba documents); `deletionProtection` defaults to `true`.
     */
    serverless?: EncryptedServerlessClusterArgs;
    /**
     * Args for a new key made by `SecretsEncryptionKey`. At most one of `key` and `keyId`; with
     * neither, a new key with the safe defaults is made (as `key: {}`): the secure path is the
     * shortest one.
     */
    key?: SecretsEncryptionKeyArgs;
    /**
     * An existing KMS key, in the cluster's region: symmetric `Aliyun_AES_256`, ENCRYPT/DECRYPT,
     * Enabled. It is guarded by a `KeyDeletionGuard` unless `guardKey` is `false`.
     */
    keyId?: pulumi.Input<string>;
    /**
     * The RAM authorization ACK needs to call KMS: `ClusterSecurityRole` args, or `false` when the
     * account's role is managed elsewhere and need not be checked. Plain value. Defaults to
     * `{ mode: "create" }`.
     */
    securityRole?: ClusterSecurityRoleArgs | false;
    /**
     * Attach a deny of `cs:UpdateKMSEncryption` on this cluster to these users, roles and groups.
     * Defaults to none.
     */
    denyEncryptionUpdates?: Omit<DenyKmsEncryptionUpdatesArgs, "clusterIds" | "protectKeys"> & {
        /**
         * Keys the same principals may not disable, schedule for deletion, unprotect or re-policy.
         * Defaults to this cluster's key; `false` protects none (with a warning).
         */
        protectKeys?: pulumi.Input<string>[] | false;
    };
    /**
     * With `keyId`: create a `KeyDeletionGuard` that checks the key before the cluster is created
     * and turns its KMS deletion protection on. `false` skips it, with a warning. Plain value.
     * Defaults to `true`.
     */
    guardKey?: boolean;
    /**
     * Region of the cluster and the key, used by the key guard. Defaults to the `alicloud:region`
     * config, then the `ALICLOUD_REGION` environment variable.
     */
    regionId?: pulumi.Input<string>;
    /**
     * Rewrite every Kubernetes Secret each time the key's primary key version changes, so Secrets
     * written before a rotation move to the new version (`SecretsReencryption`, with a Kubernetes
     * provider built from this cluster's kubeconfig). `true` uses the SecretsReencryption defaults;
     * options set `mode`, `namespaces`, `image`, `timeoutMinutes`, ... and `after`. Plain value.
     * Defaults to `false`.
     *
     * With `key`, the marker is the key's `primaryKeyVersion` as the stack last read it: a rotation
     * KMS makes on its own schedule shows up after `pulumi up --refresh` (or `pulumi refresh`).
     * With `keyId`, the key is looked up (`alicloud.kms.getKeys`) on every `pulumi up`.
     * On a managed cluster, pass the node pools in `after`: the Job needs worker nodes.
     */
    reencryptOnRotation?: boolean | ReencryptOnRotationOptions;
}

/** The names EncryptedClusterArgs takes; anything else is refused. */
export const encryptedClusterArgNames = argNames<EncryptedClusterArgs>({
    cluster: true,
    serverless: true,
    key: true,
    keyId: true,
    securityRole: true,
    denyEncryptionUpdates: true,
    guardKey: true,
    regionId: true,
    reencryptOnRotation: true,
});

/** The names `reencryptOnRotation` options take: SecretsReencryption's, bar two, plus `after`. */
export const reencryptOnRotationOptionNames: readonly string[] = [
    ...secretsReencryptionArgNames.filter((n) => n !== "provider" && n !== "rotationMarker"),
    "after",
];

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

function deletionProtectionProblem(argName: string, value: unknown): string | undefined {
    return deletionProtectionValue(value) === undefined
        ? invalid(
              `${argName}.deletionProtection`,
              value,
              "is not valid: use true or false; omit it for true.",
          )
        : undefined;
}

/** The warning for a cluster whose deletion protection is off. */
export function deletionProtectionWarning(argName: string, name: string): string {
    return (
        `[${argName}.deletionProtection] false lets cluster ${JSON.stringify(name)} be deleted ` +
        "through the API or console with all its Secrets."
    );
}

/** What validated args lead to. */
export interface EncryptedClusterPlan {
    kind: "managed" | "serverless";
    /** The argument prefix in messages: `cluster` or `serverless`. */
    argName: "cluster" | "serverless";
    guardKey: boolean;
    regionId?: pulumi.Input<string>;
    /** Protections the caller turned off, for the warnings. */
    weakened: Array<"deletionProtection" | "guardKey">;
    /** The SecretsReencryption options, when `reencryptOnRotation` asks for it. */
    reencryption?: ReencryptOnRotationOptions;
}

/** Checks one cluster spec (the shared verdict: any `ack.pro.*`); returns the problem, if any. */
export function clusterSpecProblem(
    argName: "cluster" | "serverless",
    spec: unknown,
): string | undefined {
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

/** Checks an existing key id or ARN (the shared verdict); returns the problem, if any. */
export function keyIdProblem(keyId: unknown): string | undefined {
    return judgeKeyId(keyId).verdict === "notKeyId"
        ? invalid("keyId", keyId, notAKeyIdHint)
        : undefined;
}

const reencryptionArg = "reencryptOnRotation";
const afterHint = "pass the cluster's node pools, e.g. [nodePool], or a Promise of them.";

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
 * Checks `reencryptOnRotation` and returns the SecretsReencryption options it asks for, or
 * undefined when it is off. Throws the first problem.
 */
export function validateReencryptOnRotation(
    value: unknown,
): ReencryptOnRotationOptions | undefined {
    if (value === undefined || value === false) {
        return undefined;
    }
    if (value === true) {
        return {};
    }
    const notPlain = plainValueProblem(
        reencryptionArg,
        value,
        "true, false or SecretsReencryption options",
    );
    if (notPlain) {
        throw new Error(notPlain);
    }
    if (
        typeof value !== "object" ||
        value === null ||
        Array.isArray(value) ||
        pulumi.Resource.isInstance(value)
    ) {
        throw new Error(
            invalid(
                reencryptionArg,
                value,
                "is not valid: use true, false or SecretsReencryption options (mode, namespaces, image, ...).",
            ),
        );
    }
    const options = value as ReencryptOnRotationOptions & Record<string, unknown>;
    // TypeScript callers cannot pass these (Omit); JavaScript callers get a clear error instead.
    if (options.provider !== undefined) {
        throw new Error(
            `[${reencryptionArg}.provider] is not allowed: EncryptedCluster builds the Kubernetes provider from the cluster's kubeconfig; remove it.`,
        );
    }
    if (options.rotationMarker !== undefined) {
        throw new Error(
            `[${reencryptionArg}.rotationMarker] is not allowed: EncryptedCluster sets it to the key's primaryKeyVersion; remove it.`,
        );
    }
    const unknownOption = argsObjectProblem(
        "reencryptOnRotation",
        options,
        reencryptOnRotationOptionNames,
    );
    if (unknownOption) {
        throw new Error(unknownOption.replace(/^\[/, `[${reencryptionArg}.`));
    }
    if (options.after !== undefined && !(options.after instanceof Promise)) {
        const problem = afterProblem(options.after);
        throwProblems([problem]);
    }
    // EncryptedCluster makes provider and rotationMarker after validation; only the options are checked.
    const { after: _after, ...reencryptionOptions } = options;
    void _after;
    withArgPrefix(reencryptionArg, () =>
        throwProblems(secretsReencryptionOptionProblems(reencryptionOptions)),
    );
    return options;
}

/**
 * Checks the plain args of an EncryptedCluster. `configRegion` is the `alicloud:region` config
 * (or the ALICLOUD_REGION variable), used when `regionId` is not given.
 */
export function validateClusterArgs(
    args: EncryptedClusterArgs,
    configRegion?: string,
): EncryptedClusterPlan {
    throwFirst([argsObjectProblem("EncryptedCluster", args, encryptedClusterArgNames)]);
    const objectProblem = (arg: string, value: unknown, what: string) =>
        value === undefined ||
        (typeof value === "object" &&
            value !== null &&
            !Array.isArray(value) &&
            isPlain(value) &&
            !pulumi.Resource.isInstance(value))
            ? undefined
            : (plainValueProblem(arg, value, what) ??
              invalid(arg, value, `is not valid: use ${what}.`));
    throwFirst([
        objectProblem("cluster", args.cluster, "alicloud.cs.ManagedKubernetes args (an object)"),
        objectProblem(
            "serverless",
            args.serverless,
            "alicloud.cs.ServerlessKubernetes args (an object)",
        ),
        objectProblem("key", args.key, "SecretsEncryptionKey args (an object)"),
        objectProblem(
            "denyEncryptionUpdates",
            args.denyEncryptionUpdates,
            "DenyKmsEncryptionUpdates args (an object with users, roles or groups)",
        ),
        args.securityRole === false
            ? undefined
            : objectProblem("securityRole", args.securityRole, "ClusterSecurityRole args or false"),
        booleanProblem("guardKey", args.guardKey),
        args.regionId === null
            ? invalid(
                  "regionId",
                  null,
                  'is not a region id: give one such as "cn-hangzhou", or omit regionId for the alicloud:region config.',
              )
            : undefined,
        args.keyId === null ? keyIdProblem(null) : undefined,
        args.regionId !== undefined && args.regionId !== null && isPlain(args.regionId)
            ? regionIdProblems(args.regionId)[0]
            : undefined,
    ]);
    if (args.cluster !== undefined && args.serverless !== undefined) {
        throw new Error(
            "[cluster, serverless] both are set: pass exactly one, cluster for ACK Pro or serverless for ACK Serverless Pro.",
        );
    }
    if (args.cluster === undefined && args.serverless === undefined) {
        throw new Error(
            "[cluster, serverless] neither is set: pass cluster for ACK Pro or serverless for ACK Serverless Pro.",
        );
    }
    const argName = args.cluster !== undefined ? "cluster" : "serverless";
    const clusterArgs = (args.cluster ?? args.serverless) as Record<string, unknown>;

    // TypeScript callers cannot pass these (Omit); JavaScript callers get a clear error instead.
    if (clusterArgs.encryptionProviderKey !== undefined) {
        throw new Error(
            invalid(
                `${argName}.encryptionProviderKey`,
                clusterArgs.encryptionProviderKey,
                "is not allowed: EncryptedCluster sets it from key or keyId; pass keyId instead.",
            ),
        );
    }
    if (clusterArgs.disableEncryption !== undefined) {
        throw new Error(
            invalid(
                `${argName}.disableEncryption`,
                clusterArgs.disableEncryption,
                "is not allowed: EncryptedCluster always sets it to false; remove it.",
            ),
        );
    }
    const spec = clusterArgs.clusterSpec;
    if (spec !== undefined && isPlain(spec)) {
        const problem = clusterSpecProblem(argName, spec);
        throwProblems([problem]);
    }
    if (
        argName === "cluster" &&
        clusterArgs.profile !== undefined &&
        isPlain(clusterArgs.profile)
    ) {
        if (clusterArgs.profile !== "Default") {
            throw new Error(
                invalid(
                    "cluster.profile",
                    clusterArgs.profile,
                    'is not allowed: Secret encryption needs an ACK Pro managed cluster (profile "Default"); use serverless for ACK Serverless Pro.',
                ),
            );
        }
    }

    if (args.key !== undefined && args.keyId !== undefined) {
        throw new Error(
            "[key, keyId] both are set: pass key to create a new key or keyId to use an existing one.",
        );
    }
    if (args.keyId !== undefined && isPlain(args.keyId)) {
        const problem = keyIdProblem(args.keyId);
        throwProblems([problem]);
    }
    if (args.guardKey !== undefined && typeof args.guardKey !== "boolean") {
        throw new Error(invalid("guardKey", args.guardKey, "is not valid: use true or false."));
    }
    if (args.guardKey === true && args.keyId === undefined) {
        throw new Error(
            "[guardKey] true applies only with keyId: a key made from key already has deletion protection on and protect: true.",
        );
    }
    if (
        args.securityRole !== undefined &&
        args.securityRole !== false &&
        (typeof args.securityRole !== "object" || args.securityRole === null)
    ) {
        throw new Error(
            invalid(
                "securityRole",
                args.securityRole,
                "is not valid: use ClusterSecurityRole args or false.",
            ),
        );
    }
    const deny = args.denyEncryptionUpdates as Record<string, unknown> | undefined;
    if (deny !== undefined && "clusterIds" in deny) {
        throw new Error(
            invalid(
                "denyEncryptionUpdates.clusterIds",
                deny.clusterIds,
                "is not allowed: EncryptedCluster fills it with this cluster's id; remove it.",
            ),
        );
    }
    // The children check their own args too, but only after this component is registered:
    // checking here fails the program before anything is sent to the engine.
    if (args.key !== undefined) {
        const key = args.key;
        withArgPrefix("key", () => validateKeyArgs(key));
    }
    if (args.securityRole) {
        const role = args.securityRole;
        withArgPrefix("securityRole", () => validateSecurityRoleArgs(role));
    }
    if (args.denyEncryptionUpdates !== undefined) {
        const denyArgs = args.denyEncryptionUpdates;
        withArgPrefix("denyEncryptionUpdates", () => {
            const unknownName = argsObjectProblem(
                "denyEncryptionUpdates",
                denyArgs,
                denyKmsEncryptionUpdatesArgNames.filter((n) => n !== "clusterIds"),
            );
            if (unknownName) {
                throw new Error(unknownName);
            }
            if (denyArgs.protectKeys === false) {
                void pulumi.log.warn(
                    "[denyEncryptionUpdates.protectKeys] false: the principals denied encryption updates may still disable or delete the cluster's key.",
                );
            }
            // The policy name defaults from the child's own name and protectKeys from the bound
            // key, both made later: only given ones are checked here, the rest by the child.
            validateDenyArgsExceptDefaults({
                ...denyArgs,
                protectKeys: denyArgs.protectKeys === false ? undefined : denyArgs.protectKeys,
            });
            if (denyArgs.protectKeys === undefined) {
                // The default protectKeys (the bound key) must not be denied to ACK's service role either.
                throwProblems([ackServiceRoleProblem(denyArgs.roles)]);
            }
        });
    }

    const guardKey = args.keyId !== undefined && args.guardKey !== false;
    const regionId = args.regionId ?? configRegion;
    if (guardKey && regionId === undefined) {
        throw new Error(
            '[regionId] is missing and so is the alicloud:region config: the key guard needs the region of the key and the cluster, e.g. "cn-hangzhou".',
        );
    }
    if (guardKey) {
        // The guard checks its own args too; here plain values fail before anything registers.
        throwProblems(guardedKeyArgProblems(args.keyId, regionId), "all");
    }
    const reencryption = validateReencryptOnRotation(args.reencryptOnRotation);
    const weakened: EncryptedClusterPlan["weakened"] = [];
    const deletionProtection = clusterArgs.deletionProtection;
    if (deletionProtection !== undefined && isPlain(deletionProtection)) {
        throwFirst([deletionProtectionProblem(argName, deletionProtection)]);
        if (deletionProtectionValue(deletionProtection) === false) {
            weakened.push("deletionProtection");
        }
    }
    if (args.keyId !== undefined && args.guardKey === false) {
        weakened.push("guardKey");
    }
    return {
        kind: argName === "cluster" ? "managed" : "serverless",
        argName,
        guardKey,
        regionId: guardKey ? regionId : undefined,
        weakened,
        reencryption,
    };
}

/** The region the alicloud provider uses by default: its config, then its environment variable. */
export function defaultRegion(): string | undefined {
    return new pulumi.Config("alicloud").get("region") ?? process.env.ALICLOUD_REGION;
}

/**
 * The primary key version of a key this stack does not manage, looked up on every update (after
 * the guard, when there is one, has checked the key). An invoke rather than `alicloud.kms.Key.get`:
 * a read key would sit in the stack without `protect: true`, which the policy pack rejects.
 */
function existingKeyVersion(
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

/**
 * An ACK Pro (or ACK Serverless Pro) cluster with Kubernetes Secret encryption by KMS, wired in
 * the order that works on a first `pulumi up`: the RAM authorization and the key (or the guard on
 * an existing key) first, then the cluster, then the deny policy on the cluster.
 */
export class EncryptedCluster extends pulumi.ComponentResource {
    static readonly __pulumiType = "ack-kms:index:EncryptedCluster";

    /** The cluster id. */
    public readonly clusterId: pulumi.Output<string>;
    /** The KMS key id the cluster encrypts Secrets with. */
    public readonly keyId: pulumi.Output<string>;
    /** The cluster's kubeconfig, always a Pulumi secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The cluster resource. */
    public readonly cluster: alicloud.cs.ManagedKubernetes | alicloud.cs.ServerlessKubernetes;
    /** The new key (with `key`). */
    public readonly key?: SecretsEncryptionKey;
    /** The RAM authorization (unless `securityRole: false`). */
    public readonly securityRole?: ClusterSecurityRole;
    /** The deny policy (with `denyEncryptionUpdates`). */
    public readonly denyEncryptionUpdates?: DenyKmsEncryptionUpdates;
    /** The guard on an existing key (with `keyId`, unless `guardKey: false`). */
    public readonly keyGuard?: KeyDeletionGuard;
    /** The `k8s.Provider` of this cluster (with `reencryptOnRotation`), built from its kubeconfig. */
    public readonly kubernetesProvider?: pulumi.ProviderResource;
    /** The re-encryption of Secrets after key rotation (with `reencryptOnRotation`). */
    public readonly reencryption?: SecretsReencryption;

    constructor(name: string, args: EncryptedClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = validateClusterArgs(args, defaultRegion());
        super(EncryptedCluster.__pulumiType, name, {}, opts);

        const clusterArgs = (args.cluster ?? args.serverless) as
            EncryptedManagedClusterArgs | EncryptedServerlessClusterArgs;
        if (plan.weakened.includes("deletionProtection")) {
            void pulumi.log.warn(deletionProtectionWarning(plan.argName, name), this);
        }
        if (plan.weakened.includes("guardKey")) {
            void pulumi.log.warn(
                "[guardKey] false: the existing key is not checked before the cluster is created and " +
                    "its KMS deletion protection is not turned on; deleting the key would make the " +
                    "cluster's Secrets unreadable.",
                this,
            );
        }

        if (plan.kind === "managed" && plan.reencryption && plan.reencryption.after === undefined) {
            void pulumi.log.warn(
                `[reencryptOnRotation.after] is not set: the re-encryption Job of cluster ${JSON.stringify(name)} ` +
                    "runs on worker nodes and stays Pending until some join; pass the cluster's node " +
                    "pools in after (after: [] when its nodes come another way).",
                this,
            );
        }

        const boundTo = pulumi
            .output(clusterArgs.name)
            .apply((clusterName) => `ACK cluster ${clusterName ?? name}`);
        const dependsOn: pulumi.Resource[] = [];

        if (args.securityRole !== false) {
            this.securityRole = new ClusterSecurityRole(
                `${name}-security-role`,
                args.securityRole ?? {},
                { parent: this },
            );
            dependsOn.push(this.securityRole);
        }

        let keyId: pulumi.Output<string>;
        if (args.keyId === undefined) {
            // Neither key nor keyId: a new key with the safe defaults.
            const keyArgs = args.key ?? {};
            this.key = new SecretsEncryptionKey(
                `${name}-key`,
                { ...keyArgs, boundTo: keyArgs.boundTo ?? boundTo },
                { parent: this },
            );
            keyId = this.key.keyId;
        } else {
            const given = args.keyId as pulumi.Input<string>;
            keyId = checkInput(given, keyIdProblem, this).apply(facts.keyIdOf);
            if (plan.guardKey) {
                // Checked before the cluster: a disabled, deleted or wrong-region key fails in
                // seconds instead of after a ten-minute cluster create.
                this.keyGuard = new KeyDeletionGuard(
                    `${name}-key-guard`,
                    { keyId: given, regionId: plan.regionId as pulumi.Input<string>, boundTo },
                    { parent: this },
                );
                dependsOn.push(this.keyGuard);
            }
        }

        // A role looked up (mode "existing") has no children to depend on; carrying its check in
        // the key input keeps the cluster from being created when the role is missing.
        const encryptionProviderKey =
            this.securityRole?.mode === "existing"
                ? pulumi.all([keyId, this.securityRole.roleName]).apply(([id]) => id)
                : keyId;
        const clusterSpec = checkInput(
            isPlain(clusterArgs.clusterSpec)
                ? (clusterArgs.clusterSpec ?? facts.defaultClusterSpec)
                : pulumi
                      .output(clusterArgs.clusterSpec)
                      .apply((s) => s ?? facts.defaultClusterSpec),
            (spec) => clusterSpecProblem(plan.argName, spec),
            this,
        );
        // An Output is read when known: false warns as a plain false does, anything odd fails.
        const deletionProtection =
            clusterArgs.deletionProtection === undefined
                ? true
                : isPlain(clusterArgs.deletionProtection)
                  ? deletionProtectionValue(clusterArgs.deletionProtection)
                  : checkInput(
                        clusterArgs.deletionProtection,
                        (value) => deletionProtectionProblem(plan.argName, value),
                        this,
                    ).apply((value) => {
                        const on = deletionProtectionValue(value) as boolean;
                        if (!on) {
                            void pulumi.log.warn(
                                deletionProtectionWarning(plan.argName, name),
                                this,
                            );
                        }
                        return on;
                    });
        const encrypted = {
            ...clusterArgs,
            clusterSpec,
            deletionProtection,
            encryptionProviderKey,
            disableEncryption: false,
        };
        const clusterOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn };
        this.cluster =
            plan.kind === "managed"
                ? new alicloud.cs.ManagedKubernetes(
                      name,
                      encrypted as alicloud.cs.ManagedKubernetesArgs,
                      clusterOpts,
                  )
                : new alicloud.cs.ServerlessKubernetes(
                      name,
                      encrypted as alicloud.cs.ServerlessKubernetesArgs,
                      clusterOpts,
                  );

        if (args.denyEncryptionUpdates !== undefined) {
            this.denyEncryptionUpdates = new DenyKmsEncryptionUpdates(
                `${name}-deny-encryption-updates`,
                {
                    ...args.denyEncryptionUpdates,
                    clusterIds: [this.cluster.id],
                    protectKeys:
                        args.denyEncryptionUpdates.protectKeys === false
                            ? undefined
                            : (args.denyEncryptionUpdates.protectKeys ?? [keyId]),
                },
                { parent: this },
            );
        }

        this.clusterId = this.cluster.id;
        this.keyId = keyId;
        const credential = alicloud.cs.getClusterCredentialOutput(
            { clusterId: this.cluster.id },
            { parent: this },
        );
        this.kubeconfig = pulumi.secret(credential.kubeConfig);

        if (plan.reencryption !== undefined) {
            const { after, ...options } = plan.reencryption;
            // Every Kubernetes resource waits for its provider, so the node pools go here: the
            // component's own dependsOn does not reach its children.
            const dependsOn: pulumi.Input<pulumi.Resource[]> =
                after instanceof Promise
                    ? after.then((pools) => {
                          const problem = afterProblem(pools);
                          if (problem) {
                              throw new pulumi.ResourceError(problem, this);
                          }
                          return [this.cluster, ...pools];
                      })
                    : [this.cluster, ...(after ?? [])];
            this.kubernetesProvider = new (kubernetes().Provider)(
                `${name}-k8s`,
                { kubeconfig: this.kubeconfig },
                { parent: this, dependsOn },
            );
            const rotationMarker =
                this.key !== undefined
                    ? this.key.key.primaryKeyVersion
                    : existingKeyVersion(keyId, this.keyGuard, this);
            this.reencryption = new SecretsReencryption(
                `${name}-reencrypt`,
                { ...options, provider: this.kubernetesProvider, rotationMarker },
                { parent: this, dependsOn },
            );
        }
        this.registerOutputs({
            clusterId: this.clusterId,
            keyId: this.keyId,
            kubeconfig: this.kubeconfig,
        });
    }
}
