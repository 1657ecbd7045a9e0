// The public API of ack-kms: the components and their args. Validation helpers stay internal to
// their modules (tests import them from there).
export { SecretsEncryptionKey } from "./secretsEncryptionKey";
export type { SecretsEncryptionKeyArgs } from "./secretsEncryptionKey";
export { ClusterSecurityRole } from "./clusterSecurityRole";
export type { ClusterSecurityRoleArgs, ClusterSecurityRoleMode } from "./clusterSecurityRole";
export { DenyKmsEncryptionUpdates } from "./denyKmsEncryptionUpdates";
export type { DenyKmsEncryptionUpdatesArgs } from "./denyKmsEncryptionUpdates";
export { EncryptedCluster } from "./encryptedCluster";
export type {
    EncryptedClusterArgs,
    EncryptedManagedClusterArgs,
    EncryptedServerlessClusterArgs,
    ReencryptOnRotationOptions,
} from "./encryptedCluster";
export { KeyDeletionGuard } from "./keyDeletionGuard";
export type {
    KeyDeletionGuardArgs,
    // The types of KeyDeletionGuard.guard: dynamic in TypeScript, served by the provider elsewhere.
    KeyDeletionGuardResource,
    ServedKeyDeletionGuardResource,
} from "./keyDeletionGuard";
export { ExistingClusterEncryption } from "./existingClusterEncryption";
export type { ExistingClusterEncryptionArgs } from "./existingClusterEncryption";
export { SecretsReencryption } from "./secretsReencryption";
export type { SecretsReencryptionArgs } from "./secretsReencryption";
