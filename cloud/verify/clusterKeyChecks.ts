// The three checks of a cluster's KMS key, as verify and audit both run them: judged on the key
// KMS describes, failed for the call when KMS cannot be asked, skipped when there is no key.
import { KeyMetadata } from "../kms";
import { deletionProtectionCheck } from "./deletionProtectionCheck";
import { keyEnabledCheck } from "./keyEnabledCheck";
import { checkIds, CheckResult, checkTitles, failedCall, skipped } from "./results";
import { rotationCheck } from "./rotationCheck";

const keyCheckIds = [checkIds.keyEnabled, checkIds.keyDeletionProtection, checkIds.keyRotation];

/** The key checks of the key `keyId` (none: skipped), and the key when KMS described it. */
export async function clusterKeyChecks(
    keyId: string | undefined,
    describe: (keyId: string) => Promise<KeyMetadata>,
): Promise<{ checks: CheckResult[]; key?: KeyMetadata }> {
    if (!keyId) {
        return {
            checks: keyCheckIds.map((id) =>
                skipped(id, checkTitles[id], "the cluster names no KMS key"),
            ),
        };
    }
    let key: KeyMetadata;
    try {
        key = await describe(keyId);
    } catch (error) {
        return {
            checks: keyCheckIds.map((id) =>
                failedCall(id, checkTitles[id], error, "kms:DescribeKey"),
            ),
        };
    }
    return {
        checks: [keyEnabledCheck(key), deletionProtectionCheck(key), rotationCheck(key)],
        key,
    };
}
