// Secret encryption for an ACK Pro cluster that already exists (created in the console, by
// Terraform or by another stack): a KMS key (new, or an existing one from config), the encryption
// turned on through CS UpdateKMSEncryption, and KMS deletion protection on the key.
import * as pulumi from "@pulumi/pulumi";
import { ExistingClusterEncryption, KeyDeletionGuard, SecretsEncryptionKey } from "ack-kms";

const config = new pulumi.Config();
const regionId = new pulumi.Config("alicloud").require("region");
const clusterId = config.require("clusterId");
const existingKeyId = config.get("keyId");

// A new key rotates every 365 days and is protected; an existing key is only checked and guarded.
const keyId: pulumi.Input<string> =
    existingKeyId ??
    new SecretsEncryptionKey("secrets-key", { boundTo: `ACK cluster ${clusterId}` }).keyId;

const encryption = new ExistingClusterEncryption("encryption", { clusterId, keyId, regionId });

// Deletion protection on the key, once the cluster depends on it.
const guard = new KeyDeletionGuard(
    "key-guard",
    { keyId: encryption.keyId, regionId, boundTo: `ACK cluster ${clusterId}` },
    { dependsOn: [encryption] },
);

export const encryptedClusterId = encryption.clusterId;
export const encryptionKeyId = encryption.keyId;
export const encryptionWasAlreadyOn = encryption.encryptionWasAlreadyOn;
export const keyProtectionWasAlreadyOn = guard.protectionWasAlreadyOn;
