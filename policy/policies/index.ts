// Every policy of the pack, in the order of the design table.
import { Policies } from "@pulumi/policy";
import { ackSecretEncryptionEnabled } from "./ackSecretEncryptionEnabled";
import { kmsBoundKeyPresent } from "./kmsBoundKeyPresent";
import { kmsKeyDeletionProtectedWhileBound } from "./kmsKeyDeletionProtectedWhileBound";
import { kmsKeyRotationEnabled } from "./kmsKeyRotationEnabled";
import { kmsKeySameRegion } from "./kmsKeySameRegion";
import { kmsKeySymmetricForSecrets } from "./kmsKeySymmetricForSecrets";
import { ramDenyUpdateKmsEncryptionAttached } from "./ramDenyUpdateKmsEncryptionAttached";
import { ramNoAllowUpdateKmsEncryption } from "./ramNoAllowUpdateKmsEncryption";

export const policies: Policies = [
    ackSecretEncryptionEnabled,
    ramNoAllowUpdateKmsEncryption,
    ramDenyUpdateKmsEncryptionAttached,
    kmsKeyDeletionProtectedWhileBound,
    kmsBoundKeyPresent,
    kmsKeySymmetricForSecrets,
    kmsKeySameRegion,
    kmsKeyRotationEnabled,
];
