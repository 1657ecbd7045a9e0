// The ack-kms components as every Pulumi language sees them: argument and output shapes that the
// SDK's schema analyzer (@pulumi/pulumi/provider/experimental) can express, read by
// scripts/schema/generate.ts into provider/schema.json. No union types, no Omit<>, no Promises, no
// provider objects: enums are `as const` objects, `false` is an explicit field, a Kubernetes
// provider is a kubeconfig. provider/construct/ translates these shapes to the TypeScript args of
// components/, which stay as they are and do all the validation. The classes below only declare
// the outputs for the analyzer; nothing instantiates them.
//
// Empty interfaces that extend another are on purpose: the analyzer names a schema type after the
// interface, and refuses type aliases (`type X = Y`) and `Omit<>`.
/* eslint-disable @typescript-eslint/no-empty-object-type */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";

/** How the RAM authorization ACK needs is handled. */
export const SecurityRoleMode = {
    /** Create AliyunCSManagedSecurityRole and attach AliyunCSManagedSecurityRolePolicy. */
    Create: "create",
    /** Look the role and its policy up and fail the preview when they are missing. */
    Existing: "existing",
    /** Neither create nor check it: the account's role is managed elsewhere. */
    Unmanaged: "unmanaged",
} as const;
export type SecurityRoleMode = (typeof SecurityRoleMode)[keyof typeof SecurityRoleMode];

/** The role of ClusterSecurityRole itself (it has no `unmanaged`: then it is not declared). */
export const ClusterSecurityRoleMode = {
    /** Create AliyunCSManagedSecurityRole and attach AliyunCSManagedSecurityRolePolicy. */
    Create: "create",
    /** Look the role and its policy up and fail the preview when they are missing. */
    Existing: "existing",
} as const;
export type ClusterSecurityRoleMode =
    (typeof ClusterSecurityRoleMode)[keyof typeof ClusterSecurityRoleMode];

/** Where the key's material lives. */
export const ProtectionLevel = {
    /** Software key. */
    Software: "SOFTWARE",
    /** Key in a hardware security module (HSM keys cannot rotate automatically). */
    Hsm: "HSM",
} as const;
export type ProtectionLevel = (typeof ProtectionLevel)[keyof typeof ProtectionLevel];

/** How SecretsReencryption rewrites Secrets. */
export const ReencryptionMode = {
    /** Set the `encryption-key-rotation-time` annotation on every Secret (the ACK guide's command). */
    Annotate: "annotate",
    /** `kubectl get secrets -A -o json | kubectl replace -f -` (also moves Secrets to KMS v2). */
    Replace: "replace",
} as const;
export type ReencryptionMode = (typeof ReencryptionMode)[keyof typeof ReencryptionMode];

/**
 * An ACK Pro managed cluster (`alicloud.cs.ManagedKubernetes` args). `clusterSpec` must be an
 * ACK Pro spec, any `ack.pro.*` such as `ack.pro.small` (the default) or `ack.pro.xlarge`;
 * `deletionProtection` defaults to `true`. `encryptionProviderKey` and `disableEncryption` are set
 * by the component and refused here.
 */
export interface ManagedCluster extends alicloud.cs.ManagedKubernetesArgs {}

/**
 * An ACK Serverless Pro cluster (`alicloud.cs.ServerlessKubernetes` args). `clusterSpec` must be
 * an ACK Pro spec, any `ack.pro.*` (default `ack.pro.small`); `deletionProtection` defaults to
 * `true`. `encryptionProviderKey`
 * and `disableEncryption` are set by the component and refused here.
 */
export interface ServerlessCluster extends alicloud.cs.ServerlessKubernetesArgs {}

/** Args of a new KMS key for Secret encryption. */
export interface Key {
    /** Key spec. Only `Aliyun_AES_256` is accepted (the only spec ACK takes). Defaults to `Aliyun_AES_256`. */
    keySpec?: string;
    /**
     * `SOFTWARE` or `HSM`; in a KMS instance set `HSM` for keys in a hardware instance. Defaults to
     * `SOFTWARE`.
     */
    protectionLevel?: ProtectionLevel;
    /** The KMS instance to create the key in. Without it the key is a default key (rotates every 365d only). */
    dkmsInstanceId?: pulumi.Input<string>;
    /**
     * Automatic rotation period, `<n>d`, `<n>h`, `<n>m` or `<n>s`: default keys only `365d`,
     * software keys in an instance `7d` to `365d`, HSM keys none. Defaults to `365d` where the key
     * type allows rotation.
     */
    rotationInterval?: string;
    /** Turn automatic rotation off (logs a warning). Defaults to `false`. */
    disableAutomaticRotation?: boolean;
    /** Days KMS waits before deleting the key once scheduled, 7 to 366. Defaults to `30`. */
    pendingWindowInDays?: number;
    /** What the key protects, written into its deletion-protection description, at most 128 characters. Defaults to `ack-kms <component name>`. */
    boundTo?: pulumi.Input<string>;
    /** Key description, 1 to 8,192 characters. Defaults to a sentence naming `boundTo`. */
    description?: pulumi.Input<string>;
    /** Tags for the key. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Whether the key is a protected resource (`pulumi destroy` refuses to delete it); off logs a warning. Defaults to `true`. */
    protect?: boolean;
}

/** The RAM authorization ACK needs to call KMS. */
export interface SecurityRole {
    /** `create`, `existing`, or `unmanaged` (neither create nor check the role). Defaults to `create`. */
    mode?: SecurityRoleMode;
    /** Description of the created role, 1 to 1,024 characters (mode `create` only). */
    description?: pulumi.Input<string>;
}

/** Principals denied `cs:UpdateKMSEncryption` on this cluster. */
export interface DenyEncryptionUpdates {
    /** RAM user names to attach the deny policy to. */
    users?: pulumi.Input<string>[];
    /** RAM role names to attach the deny policy to. */
    roles?: pulumi.Input<string>[];
    /** RAM group names to attach the deny policy to. At least one user, role or group is required. */
    groups?: pulumi.Input<string>[];
    /** Name of the custom RAM policy: 1 to 128 letters, digits and hyphens. Defaults to `deny-kms-encryption-updates-<stack>-<component name>`. */
    policyName?: string;
    /** Policy description, 1 to 1,024 characters. Defaults to a sentence saying what it denies and why. */
    description?: pulumi.Input<string>;
}

/** How SecretsReencryption runs its Job. */
export interface ReencryptionOptions {
    /** How Secrets are rewritten. Defaults to `annotate`. */
    mode?: ReencryptionMode;
    /** Rewrite Secrets only in these namespaces. Defaults to every namespace. */
    namespaces?: string[];
    /** The namespace of the ServiceAccount and the Job. Defaults to `kube-system`. */
    namespace?: string;
    /** The image that runs kubectl (needs `sh`, `kubectl`, `date`). Defaults to `alpine/k8s:1.31.4`. */
    image?: pulumi.Input<string>;
    /** Retries of a failed Job pod, 0 to 10. Defaults to `3`. */
    backoffLimit?: number;
    /** Seconds after which Kubernetes deletes the finished Job. Defaults to unset (the Job stays). */
    ttlSecondsAfterFinished?: number;
    /** How long Pulumi waits for the Job to complete, in minutes. Defaults to `30`. */
    timeoutMinutes?: number;
}

/**
 * SecretsReencryption options for EncryptedCluster; the object being set turns re-encryption on.
 * There is no `after` here: node pools need the cluster's id, so a program in another language
 * cannot hand them over at construction. For a managed cluster, make the node pools after the
 * EncryptedCluster and a SecretsReencryption from its `kubeconfig` with `dependsOn` on them.
 */
export interface ReencryptOnRotation extends ReencryptionOptions {}

export interface EncryptedClusterArgs {
    /** An ACK Pro managed cluster. Exactly one of `cluster` and `serverless`. */
    cluster?: ManagedCluster;
    /** An ACK Serverless Pro cluster. Exactly one of `cluster` and `serverless`. */
    serverless?: ServerlessCluster;
    /** Args for a new key. At most one of `key` and `keyId`; with neither, a new key with the safe defaults. */
    key?: Key;
    /** An existing KMS key in the cluster's region (symmetric, ENCRYPT/DECRYPT, Enabled), guarded unless `guardKey` is `false`. */
    keyId?: pulumi.Input<string>;
    /** The RAM authorization ACK needs to call KMS. Defaults to `{ mode: "create" }`. */
    securityRole?: SecurityRole;
    /** Deny `cs:UpdateKMSEncryption` on this cluster to these users, roles and groups. Defaults to none. */
    denyEncryptionUpdates?: DenyEncryptionUpdates;
    /** With `keyId`: guard the key (preflight, then deletion protection on); `false` logs a warning. Defaults to `true`. */
    guardKey?: boolean;
    /** Region of the cluster and the key. Defaults to the `alicloud:region` config, then `ALICLOUD_REGION`. */
    regionId?: pulumi.Input<string>;
    /** Rewrite every Secret each time the key's primary version changes; set (even `{}`) means on. Defaults to off. */
    reencryptOnRotation?: ReencryptOnRotation;
}

/** An ACK Pro cluster whose Kubernetes Secrets are encrypted with a KMS key, with its RAM authorization, key guard and deny policy. */
export class EncryptedCluster extends pulumi.ComponentResource {
    /** The cluster's id. */
    public readonly clusterId!: pulumi.Output<string>;
    /** The KMS key's id. */
    public readonly keyId!: pulumi.Output<string>;
    /** The cluster's kubeconfig (a secret). */
    public readonly kubeconfig!: pulumi.Output<string>;

    constructor(name: string, args: EncryptedClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ack-kms:index:EncryptedCluster", name, args, opts);
    }
}

export interface SecretsEncryptionKeyArgs extends Key {}

/** A KMS key for Kubernetes Secret encryption with safe defaults (symmetric, rotating, deletion-protected, `protect`). */
export class SecretsEncryptionKey extends pulumi.ComponentResource {
    /** The key's id. */
    public readonly keyId!: pulumi.Output<string>;
    /** The key's ARN. */
    public readonly keyArn!: pulumi.Output<string>;
    /** `default`, `software` or `hsm`. */
    public readonly keyType!: pulumi.Output<string>;
    /** The rotation period in effect, unset when rotation is off. */
    public readonly rotationInterval!: pulumi.Output<string>;

    constructor(
        name: string,
        args: SecretsEncryptionKeyArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("ack-kms:index:SecretsEncryptionKey", name, args, opts);
    }
}

export interface ClusterSecurityRoleArgs {
    /** `create` or `existing`. Defaults to `create`. */
    mode?: ClusterSecurityRoleMode;
    /** Description of the created role, 1 to 1,024 characters (mode `create` only). */
    description?: pulumi.Input<string>;
}

/** The RAM role AliyunCSManagedSecurityRole ACK uses to call KMS, created (and retained) or checked. */
export class ClusterSecurityRole extends pulumi.ComponentResource {
    /** The role's name. */
    public readonly roleName!: pulumi.Output<string>;
    /** The role's ARN. */
    public readonly roleArn!: pulumi.Output<string>;

    constructor(
        name: string,
        args: ClusterSecurityRoleArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("ack-kms:index:ClusterSecurityRole", name, args, opts);
    }
}

export interface DenyKmsEncryptionUpdatesArgs extends DenyEncryptionUpdates {
    /** ACK cluster ids the deny applies to. Defaults to every cluster (`*`). */
    clusterIds?: pulumi.Input<string>[];
}

/** A custom RAM policy denying `cs:UpdateKMSEncryption`, attached to users, roles and groups. */
export class DenyKmsEncryptionUpdates extends pulumi.ComponentResource {
    /** The policy's name. */
    public readonly policyName!: pulumi.Output<string>;
    /** The policy document (JSON). */
    public readonly policyDocument!: pulumi.Output<string>;

    constructor(
        name: string,
        args: DenyKmsEncryptionUpdatesArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("ack-kms:index:DenyKmsEncryptionUpdates", name, args, opts);
    }
}

export interface KeyDeletionGuardArgs {
    /** The KMS key id (or ARN) the cluster is bound to: Enabled, `Aliyun_AES_256`, ENCRYPT/DECRYPT, not pending deletion. */
    keyId: pulumi.Input<string>;
    /** The region of the key and the cluster. */
    regionId: pulumi.Input<string>;
    /** What the key protects, written into the deletion-protection description, at most 128 characters. */
    boundTo: pulumi.Input<string>;
    /** KMS endpoint override (host or http(s) URL). Defaults to `kms.<regionId>.aliyuncs.com` over HTTPS. */
    endpoint?: pulumi.Input<string>;
    /** Let deleting the guard turn protection off, only when it turned it on and no other holder remains. Defaults to `false`. */
    releaseProtectionOnDelete?: boolean;
}

/** Checks an existing key before a cluster uses it and turns its KMS deletion protection on. */
export class KeyDeletionGuard extends pulumi.ComponentResource {
    /** The key's id, as KMS reports it. */
    public readonly keyId!: pulumi.Output<string>;
    /** The key's ARN. */
    public readonly keyArn!: pulumi.Output<string>;
    /** Protection was on before the guard, which then leaves it on when deleted. */
    public readonly protectionWasAlreadyOn!: pulumi.Output<boolean>;

    constructor(name: string, args: KeyDeletionGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ack-kms:index:KeyDeletionGuard", name, args, opts);
    }
}

export interface ExistingClusterEncryptionArgs {
    /** The ACK Pro cluster's id; it must be running. */
    clusterId: pulumi.Input<string>;
    /** The KMS key id (or ARN): Enabled, `Aliyun_AES_256`, ENCRYPT/DECRYPT, in the cluster's region. */
    keyId: pulumi.Input<string>;
    /** The region of the cluster and the key, e.g. `cn-hangzhou`. */
    regionId: pulumi.Input<string>;
    /** Turn encryption off when this resource is deleted (only if it turned it on). Defaults to `false`. */
    disableOnDelete?: boolean;
    /** Container Service endpoint override. Defaults to `cs.<regionId>.aliyuncs.com`. */
    csEndpoint?: pulumi.Input<string>;
    /** KMS endpoint override. Defaults to `kms.<regionId>.aliyuncs.com`. */
    kmsEndpoint?: pulumi.Input<string>;
    /** Seconds between two reads of the cluster state. Defaults to `10`. */
    pollIntervalSeconds?: number;
    /** Minutes to keep retrying while ACK answers HTTP 409. Defaults to `10`. */
    conflictRetryMinutes?: number;
    /** Minutes to wait for the cluster to be running again. Defaults to `30`. */
    waitTimeoutMinutes?: number;
}

/** Turns Secret encryption on for an ACK Pro cluster created elsewhere. */
export class ExistingClusterEncryption extends pulumi.ComponentResource {
    /** The cluster's id. */
    public readonly clusterId!: pulumi.Output<string>;
    /** The key's id, as KMS reports it. */
    public readonly keyId!: pulumi.Output<string>;
    /** The key's ARN. */
    public readonly keyArn!: pulumi.Output<string>;
    /** Encryption was on with this key before; the resource then never turns it off. */
    public readonly encryptionWasAlreadyOn!: pulumi.Output<boolean>;

    constructor(
        name: string,
        args: ExistingClusterEncryptionArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("ack-kms:index:ExistingClusterEncryption", name, args, opts);
    }
}

export interface SecretsReencryptionArgs extends ReencryptionOptions {
    /** The kubeconfig of the cluster whose Secrets are rewritten (pass it as a secret). */
    kubeconfig: pulumi.Input<string>;
    /** A value that changes with each key rotation (e.g. the key's `primaryKeyVersion`); each new value runs a new Job. */
    rotationMarker: pulumi.Input<string>;
}

/** Rewrites every Kubernetes Secret after the KMS key rotates, so each is encrypted with the current key version. */
export class SecretsReencryption extends pulumi.ComponentResource {
    /** The Job's name. */
    public readonly jobName!: pulumi.Output<string>;
    /** The namespace of the Job. */
    public readonly namespace!: pulumi.Output<string>;
    /** The ServiceAccount's name. */
    public readonly serviceAccountName!: pulumi.Output<string>;
    /** The ClusterRole's name. */
    public readonly clusterRoleName!: pulumi.Output<string>;

    constructor(
        name: string,
        args: SecretsReencryptionArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("ack-kms:index:SecretsReencryption", name, args, opts);
    }
}
