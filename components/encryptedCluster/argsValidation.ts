// The one check of EncryptedCluster args: every problem at once, each concern judging its own
// args and the children's parts through the functions each child exports for that.
import { argsProblems } from "../validation";
import { EncryptedClusterArgs, encryptedClusterArgNames } from "./args";
import { clusterChoiceProblems } from "./cluster";
import { denyEncryptionUpdatesProblems } from "./denyEncryptionUpdates";
import { keyChoiceProblems } from "./key";
import { reencryptOnRotationProblems } from "./reencryption";
import { securityRoleProblems } from "./securityRole";

/**
 * The problems with the plain args of an EncryptedCluster, all at once; Outputs are checked once
 * known. `configRegion` is the `alicloud:region` config (or the ALICLOUD_REGION variable), used
 * when `regionId` is not given. The children check their own args again once registered;
 * checking here fails the program before anything is sent to the engine.
 */
export function validateClusterArgs(args: EncryptedClusterArgs, configRegion?: string): string[] {
    return argsProblems<EncryptedClusterArgs>(
        "EncryptedCluster",
        args,
        encryptedClusterArgNames,
        (a) => [
            ...clusterChoiceProblems(a),
            ...keyChoiceProblems(a, configRegion),
            ...securityRoleProblems(a.securityRole),
            ...denyEncryptionUpdatesProblems(a.denyEncryptionUpdates),
            ...reencryptOnRotationProblems(a.reencryptOnRotation),
        ],
    );
}
