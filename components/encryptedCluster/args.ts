// EncryptedCluster's args, what users pass. In their own module (index.ts re-exports them) so
// that each concern of the folder can name them without importing the class.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import type { ClusterSecurityRoleArgs } from "../clusterSecurityRole";
import type { DenyKmsEncryptionUpdatesArgs } from "../denyKmsEncryptionUpdates";
import type { SecretsEncryptionKeyArgs } from "../secretsEncryptionKey";
import type { SecretsReencryptionArgs } from "../secretsReencryption";
import { argNames } from "../validation";

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
