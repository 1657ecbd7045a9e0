// Shared by the differential-suite programs: a KMS key with safe settings bound to an ACK Pro
// cluster, and a RAM Deny of cs:UpdateKMSEncryption attached to a role.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";

export function safeKey(name: string, opts: pulumi.CustomResourceOptions = {}): alicloud.kms.Key {
    return new alicloud.kms.Key(
        name,
        {
            description: `Secrets of ${name}`,
            keySpec: "Aliyun_AES_256",
            keyUsage: "ENCRYPT/DECRYPT",
            protectionLevel: "SOFTWARE",
            automaticRotation: "Enabled",
            rotationInterval: "31536000s",
            pendingWindowInDays: 30,
            deletionProtection: "Enabled",
            deletionProtectionDescription: "bound to the cluster",
        },
        { protect: true, ...opts },
    );
}

export function boundCluster(
    name: string,
    keyId: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions = {},
): alicloud.cs.ManagedKubernetes {
    const cluster = new alicloud.cs.ManagedKubernetes(
        name,
        {
            name,
            clusterSpec: "ack.pro.small",
            encryptionProviderKey: keyId,
            vswitchIds: ["vsw-a0001"],
            podCidr: "172.20.0.0/16",
            serviceCidr: "172.21.0.0/20",
        },
        opts,
    );
    const deny = new alicloud.ram.Policy(
        `${name}-deny`,
        {
            policyName: `${name}-deny-kms-encryption-updates`,
            policyDocument: JSON.stringify({
                Version: "1",
                Statement: [
                    { Effect: "Deny", Action: ["cs:UpdateKMSEncryption"], Resource: ["*"] },
                ],
            }),
        },
        opts,
    );
    new alicloud.ram.RolePolicyAttachment(
        `${name}-deny-ops`,
        { policyName: deny.policyName, policyType: "Custom", roleName: "ops" },
        opts,
    );
    return cluster;
}
