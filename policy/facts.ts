// Domain facts about ACK, KMS and RAM, kept once. The policy pack, the components and cloud/ all read
// them from here. This module imports nothing, so the pack stays publishable on its own.

/** Resource type tokens of the alicloud provider that the project reasons about. */
export const resourceTypes = {
    managedCluster: "alicloud:cs/managedKubernetes:ManagedKubernetes",
    serverlessCluster: "alicloud:cs/serverlessKubernetes:ServerlessKubernetes",
    /** Dedicated clusters: the control plane is the user's, so ACK's KMS Secret encryption is not offered. */
    dedicatedCluster: "alicloud:cs/kubernetes:Kubernetes",
    /** ACK Edge clusters: the pack does not judge their Secret encryption. */
    edgeCluster: "alicloud:cs/edgeKubernetes:EdgeKubernetes",
    kmsKey: "alicloud:kms/key:Key",
    kmsInstance: "alicloud:kms/instance:Instance",
    ramPolicy: "alicloud:ram/policy:Policy",
    ramRole: "alicloud:ram/role:Role",
    ramUser: "alicloud:ram/user:User",
    ramGroup: "alicloud:ram/group:Group",
    ramUserPolicyAttachment: "alicloud:ram/userPolicyAttachment:UserPolicyAttachment",
    ramRolePolicyAttachment: "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
    ramGroupPolicyAttachment: "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment",
    resourceManagerPolicy: "alicloud:resourcemanager/policy:Policy",
    resourceManagerPolicyAttachment: "alicloud:resourcemanager/policyAttachment:PolicyAttachment",
    resourceManagerPolicyVersion: "alicloud:resourcemanager/policyVersion:PolicyVersion",
    resourceManagerRole: "alicloud:resourcemanager/role:Role",
    ramGroupMembership: "alicloud:ram/groupMembership:GroupMembership",
    ramUserGroupAttachment: "alicloud:ram/userGroupAttachment:UserGroupAttachment",
    cloudSsoAccessConfiguration: "alicloud:cloudsso/accessConfiguration:AccessConfiguration",
    dynamicResource: "pulumi-nodejs:dynamic:Resource",
    // The same resources as the ack-kms provider serves them to programs in other languages,
    // where dynamic providers do not run (pulumi/pulumi#5455); the `kind` input still tells them apart.
    keyDeletionGuardResource: "ack-kms:index:KeyDeletionGuardResource",
    existingClusterEncryptionResource: "ack-kms:index:ExistingClusterEncryptionResource",
} as const;

/** The types our own `kind`-marked resources are registered under: dynamic, or served by the provider. */
export const kindMarkedResourceTypes: readonly string[] = [
    resourceTypes.dynamicResource,
    resourceTypes.keyDeletionGuardResource,
    resourceTypes.existingClusterEncryptionResource,
];

// ---- ACK clusters -------------------------------------------------------------------------------

export const defaultClusterSpec = "ack.pro.small";

/** Every `ack.pro.*` spec is Pro, including ones newer than this list. */
export function isProClusterSpec(spec: string): boolean {
    return spec.startsWith("ack.pro.");
}

// ---- KMS keys -----------------------------------------------------------------------------------

/** The only key spec ACK's UpdateKMSEncryption accepts for Secret encryption. */
export const secretsKeySpec = "Aliyun_AES_256";

/** Symmetric key specs KMS offers; only `secretsKeySpec` is accepted by ACK. */
export const symmetricKeySpecs = [
    "Aliyun_AES_256",
    "Aliyun_AES_128",
    "Aliyun_AES_192",
    "Aliyun_SM4",
] as const;

export const secretsKeyUsage = "ENCRYPT/DECRYPT";

/** What the alicloud provider assumes for a KMS key input left unset. */
export const kmsKeyDefaults = {
    keySpec: "Aliyun_AES_256",
    keyUsage: "ENCRYPT/DECRYPT",
    status: "Enabled",
    deletionProtection: "Disabled",
    automaticRotation: "Disabled",
    protectionLevel: "SOFTWARE",
} as const;

/** The characters of a KMS key id, such as `key-hzz62f1c3b2d6y4mdp1xx`. */
export const keyIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** An Alibaba Cloud region id, such as `cn-hangzhou` or `ap-southeast-1`. */
export const regionIdPattern = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/** The parts of a KMS key ARN. */
export interface KeyArnParts {
    regionId: string;
    /** Empty in ARNs that leave the account out. */
    accountId: string;
    keyId: string;
}

/**
 * The parts of a KMS key ARN, `acs:kms:<region>:<account>:key/<key id>`, or undefined for anything
 * else (a plain key id included). The region is required; the key id part is not checked further.
 */
export function parseKeyArn(arn: string): KeyArnParts | undefined {
    const match = /^acs:kms:([^:]+):([^:]*):key\/(.+)$/.exec(arn);
    return match ? { regionId: match[1], accountId: match[2], keyId: match[3] } : undefined;
}

/** The key id at the end of a KMS key ARN (`acs:kms:<region>:<account>:key/<id>`), or undefined. */
export function keyIdFromArn(arn: string): string | undefined {
    return parseKeyArn(arn)?.keyId;
}

/** The region in a KMS key ARN, or undefined when it names none (a `*` pattern names none). */
export function regionFromKeyArn(arn: string): string | undefined {
    const regionId = parseKeyArn(arn)?.regionId;
    return regionId !== undefined && !regionId.includes("*") ? regionId : undefined;
}

/**
 * The key id in a key id or a key ARN: what KMS's `KeyId` parameter and ACK's
 * `encryptionProviderKey` take, and what tells two spellings of one key apart from two keys.
 */
export function keyIdOf(keyIdOrArn: string): string {
    return parseKeyArn(keyIdOrArn)?.keyId ?? keyIdOrArn;
}

export const protectionLevels = ["SOFTWARE", "HSM"] as const;
export type ProtectionLevel = (typeof protectionLevels)[number];

/** KMS key states. Only an Enabled key can serve the API server. */
export const keyStates = {
    enabled: "Enabled",
    disabled: "Disabled",
    pendingDeletion: "PendingDeletion",
} as const;

/** The days KMS waits before deleting a key scheduled for deletion. */
export const pendingWindowInDays = { min: 7, max: 366, default: 30 } as const;

/**
 * What automatic rotation each key type allows, in seconds.
 * - default keys (no KMS instance) rotate only every 365 days;
 * - software keys in a KMS instance rotate every 7 to 365 days;
 * - HSM keys cannot rotate automatically.
 */
export type KeyType = "default" | "software" | "hsm";
const day = 24 * 60 * 60;
export const rotationLimits: Record<
    KeyType,
    { minSeconds: number; maxSeconds: number } | undefined
> = {
    default: { minSeconds: 365 * day, maxSeconds: 365 * day },
    software: { minSeconds: 7 * day, maxSeconds: 365 * day },
    hsm: undefined,
};
export const defaultRotationInterval = "365d";

/** A key's type follows from its protection level and whether it lives in a KMS instance. */
export function keyTypeOf(
    protectionLevel: string | undefined,
    dkmsInstanceId: string | undefined,
): KeyType {
    if ((protectionLevel ?? "SOFTWARE").toUpperCase() === "HSM") {
        return "hsm";
    }
    return dkmsInstanceId ? "software" : "default";
}

/** The interval format KMS accepts: a whole number followed by d, h, m or s. */
export const rotationIntervalPattern = /^([1-9][0-9]*)([dhms])$/;

/** Seconds in a rotation interval such as `365d` or `604800s`; undefined when the format is wrong. */
export function parseRotationInterval(interval: string): number | undefined {
    const match = rotationIntervalPattern.exec(interval);
    if (!match) {
        return undefined;
    }
    const unit = { d: day, h: 60 * 60, m: 60, s: 1 }[match[2] as "d" | "h" | "m" | "s"];
    return Number(match[1]) * unit;
}

/** The value of `automaticRotation` and `deletionProtection` that turns them on. */
export const enabled = "Enabled";

// ---- RAM authorization of ACK ------------------------------------------------------------------

/** The service role ACK assumes to call KMS for the API server. */
export const securityRoleName = "AliyunCSManagedSecurityRole";
export const securityRolePolicyName = "AliyunCSManagedSecurityRolePolicy";
export const securityRoleTrustPolicy = {
    Statement: [
        { Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: ["cs.aliyuncs.com"] } },
    ],
    Version: "1",
};

/** The RAM action that turns Secret encryption on or off or changes its key. */
export const updateKmsEncryptionAction = "cs:UpdateKMSEncryption";

/** System policies that grant `cs:UpdateKMSEncryption` through a wildcard. */
export const systemPoliciesGrantingUpdateKmsEncryption = [
    "AdministratorAccess",
    "AliyunCSFullAccess",
] as const;

/**
 * The KMS actions that take a bound key away from its cluster: disabling it, scheduling its
 * deletion, turning its deletion protection off, replacing its key policy.
 */
export const keyDestructionActions = [
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
    "kms:SetDeletionProtection",
    "kms:SetKeyPolicy",
] as const;

/** What the API server asks KMS for through the ACK service role. */
export const secretsKeyActions = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"] as const;

/** System policies that grant the key-destroying KMS actions (DisableKey, ScheduleKeyDeletion, ...). */
export const systemPoliciesGrantingKeyDestruction = [
    "AdministratorAccess",
    "AliyunKMSFullAccess",
] as const;

/** RAM's limit on a custom policy document, in bytes. */
export const ramPolicyDocumentMaxBytes = 6144;

/** The Resource pattern of one ACK cluster in a RAM statement. */
export function clusterResourceArn(clusterId: string): string {
    return `acs:cs:*:*:cluster/${clusterId}`;
}

/** The Resource pattern of one KMS key in a RAM statement: its ARN, or any region's key of that id. */
export function keyResourceArn(keyIdOrArn: string): string {
    return parseKeyArn(keyIdOrArn) ? keyIdOrArn : `acs:kms:*:*:key/${keyIdOrArn}`;
}

/**
 * Whether a RAM `Action` pattern matches an action.
 *
 * RAM policy language: https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements (doc 93738)
 * and https://www.alibabacloud.com/help/en/ram/user-guide/policy-structure-and-syntax (doc 93739):
 * an Action is `<ram-code>:<action-name>`, given as one string or a list, and its examples use `*` as a
 * wildcard within a name (`ecs:Describe*`). The pages we could consult do not spell out `?` or letter
 * case; RAM's language follows AWS IAM's, which documents `*` (any run of characters), `?` (exactly one)
 * and case-insensitive action names
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html), so this
 * matcher does the same. For `ram-no-allow-update-kms-encryption` that errs towards reporting a grant.
 */
export function ramActionMatches(pattern: string, action: string): boolean {
    let source = "";
    for (const char of pattern) {
        source +=
            char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
    }
    return new RegExp(`^${source}$`, "is").test(action);
}

// ---- Markers of our own resources --------------------------------------------------------------

/** Marks the inputs of a KeyDeletionGuard dynamic resource, so policies can tell it apart. */
export const keyDeletionGuardKind = "ack-kms:KeyDeletionGuard";

/** Marks the inputs of an ExistingClusterEncryption dynamic resource, so policies can tell it apart. */
export const existingClusterEncryptionKind = "ack-kms:ExistingClusterEncryption";
