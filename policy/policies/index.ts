// Every policy of the pack, in the order of the design table, each with its `waivers` option
// (policy/waivedPolicy.ts).
import { Policies } from "@pulumi/policy";
import { withWaivers } from "../waivedPolicy";
import { ackSecretEncryptionEnabled } from "./ackSecretEncryptionEnabled";
import { kmsBoundKeyPresent } from "./kmsBoundKeyPresent";
import { kmsInstanceRenewsWhileBound } from "./kmsInstanceRenewsWhileBound";
import { kmsKeyDeletionProtectedWhileBound } from "./kmsKeyDeletionProtectedWhileBound";
import { kmsKeyPolicyAllowsAckRole } from "./kmsKeyPolicyAllowsAckRole";
import { kmsKeyRotationEnabled } from "./kmsKeyRotationEnabled";
import { kmsKeySameRegion } from "./kmsKeySameRegion";
import { kmsKeySymmetricForSecrets } from "./kmsKeySymmetricForSecrets";
import { ramDenyKeyDestructionAttached } from "./ramDenyKeyDestructionAttached";
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
    kmsInstanceRenewsWhileBound,
    kmsKeyPolicyAllowsAckRole,
    ramDenyKeyDestructionAttached,
].map((policy) => withWaivers(policy));
