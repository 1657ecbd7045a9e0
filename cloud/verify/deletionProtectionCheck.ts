// Is the cluster's key protected from deletion?
import { enabled } from "../../policy/facts";
import { KeyMetadata } from "../kms";
import { checkIds, CheckResult, checkTitles } from "./results";

export function deletionProtectionCheck(key: KeyMetadata): CheckResult {
    const title = checkTitles[checkIds.keyDeletionProtection];
    return key.deletionProtection === enabled
        ? {
              id: checkIds.keyDeletionProtection,
              title,
              status: "pass",
              detail: `${key.keyId} has deletion protection on`,
          }
        : {
              id: checkIds.keyDeletionProtection,
              title,
              status: "fail",
              detail: `${key.keyId} has deletion protection off`,
              fix: "Turn it on: KeyDeletionGuard (Pulumi), or KMS SetDeletionProtection with EnableDeletionProtection=true.",
          };
}
