// Is the cluster's key Enabled and fit for Secrets (symmetric, ENCRYPT/DECRYPT)?
import { keyProblemsForSecrets } from "../keyChecks";
import { KeyMetadata } from "../kms";
import { checkIds, CheckResult, checkTitles } from "./results";

export function keyEnabledCheck(key: KeyMetadata): CheckResult {
    const problems = keyProblemsForSecrets(key);
    const title = checkTitles[checkIds.keyEnabled];
    return problems.length === 0
        ? {
              id: checkIds.keyEnabled,
              title,
              status: "pass",
              detail: `${key.keyId} is ${key.keyState}, ${key.keySpec}, ${key.keyUsage}`,
          }
        : {
              id: checkIds.keyEnabled,
              title,
              status: "fail",
              detail: `${key.keyId}: ${problems.join("; ")}`,
              fix: "Until the key is Enabled the API server cannot read Secrets: enable it (EnableKey) or cancel its deletion (CancelKeyDeletion) now.",
          };
}
