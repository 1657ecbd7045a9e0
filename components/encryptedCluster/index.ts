// EncryptedCluster: an ACK Pro cluster with Secret encryption by KMS and everything it needs,
// wired in order. Each concern lives beside it: args.ts (what users pass), argsValidation.ts and
// plan.ts (what the args lead to), cluster.ts, key.ts, securityRole.ts, denyEncryptionUpdates.ts
// and reencryption.ts (each part's checks and resources).
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import type { ClusterSecurityRole } from "../clusterSecurityRole";
import type { DenyKmsEncryptionUpdates } from "../denyKmsEncryptionUpdates";
import type { KeyDeletionGuard } from "../keyDeletionGuard";
import type { SecretsEncryptionKey } from "../secretsEncryptionKey";
import type { SecretsReencryption } from "../secretsReencryption";
import { throwProblems } from "../validation";
import type {
    EncryptedClusterArgs,
    EncryptedManagedClusterArgs,
    EncryptedServerlessClusterArgs,
} from "./args";
import { validateClusterArgs } from "./argsValidation";
import { createEncryptedCluster, deletionProtectionWarning } from "./cluster";
import { createDenyEncryptionUpdates, unprotectedKeyWarning } from "./denyEncryptionUpdates";
import { bindKey } from "./key";
import { defaultRegion, EncryptedClusterPlan, planCluster } from "./plan";
import { existingKeyVersion, reencryptSecrets } from "./reencryption";
import { createSecurityRole, keyAfterRoleCheck } from "./securityRole";

export type {
    EncryptedClusterArgs,
    EncryptedManagedClusterArgs,
    EncryptedServerlessClusterArgs,
    ReencryptOnRotationOptions,
} from "./args";

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
        const configRegion = defaultRegion();
        throwProblems(validateClusterArgs(args, configRegion));
        const plan = planCluster(args, configRegion);
        super(EncryptedCluster.__pulumiType, name, {}, opts);

        const clusterArgs = (args.cluster ?? args.serverless) as
            EncryptedManagedClusterArgs | EncryptedServerlessClusterArgs;
        this.warnWeakened(name, plan);

        const boundTo = pulumi
            .output(clusterArgs.name)
            .apply((clusterName) => `ACK cluster ${clusterName ?? name}`);
        const dependsOn: pulumi.Resource[] = [];

        this.securityRole = createSecurityRole(name, args.securityRole, this);
        if (this.securityRole) {
            dependsOn.push(this.securityRole);
        }
        const bound = bindKey(name, args, plan.regionId, boundTo, this);
        this.key = bound.key;
        this.keyGuard = bound.guard;
        if (this.keyGuard) {
            dependsOn.push(this.keyGuard);
        }
        const keyId = bound.keyId;

        this.cluster = createEncryptedCluster(
            name,
            plan.argName,
            clusterArgs,
            keyAfterRoleCheck(keyId, this.securityRole),
            { parent: this, dependsOn },
        );
        if (args.denyEncryptionUpdates !== undefined) {
            this.denyEncryptionUpdates = createDenyEncryptionUpdates(
                name,
                args.denyEncryptionUpdates,
                this.cluster.id,
                keyId,
                this,
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
            const rotationMarker =
                this.key !== undefined
                    ? this.key.key.primaryKeyVersion
                    : existingKeyVersion(keyId, this.keyGuard, this);
            const reencryption = reencryptSecrets(
                name,
                plan.reencryption,
                this.cluster,
                this.kubeconfig,
                rotationMarker,
                this,
            );
            this.kubernetesProvider = reencryption.provider;
            this.reencryption = reencryption.reencryption;
        }
        this.registerOutputs({
            clusterId: this.clusterId,
            keyId: this.keyId,
            kubeconfig: this.kubeconfig,
        });
    }

    /** Secure by default, loud when weakened: one warning per protection the args turn off. */
    private warnWeakened(name: string, plan: EncryptedClusterPlan): void {
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
        if (plan.weakened.includes("protectKeys")) {
            void pulumi.log.warn(unprotectedKeyWarning, this);
        }
        if (plan.kind === "managed" && plan.reencryption && plan.reencryption.after === undefined) {
            void pulumi.log.warn(
                `[reencryptOnRotation.after] is not set: the re-encryption Job of cluster ${JSON.stringify(name)} ` +
                    "runs on worker nodes and stays Pending until some join; pass the cluster's node " +
                    "pools in after (after: [] when its nodes come another way).",
                this,
            );
        }
    }
}
