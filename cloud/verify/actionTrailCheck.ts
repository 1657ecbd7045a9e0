// Does ActionTrail show ACK's security role encrypting or decrypting with KMS: is encryption live?
import { securityRoleName, securityRolePolicyName } from "../../policy/facts";
import { isBySecurityRole, lookupEvents, secretEncryptionEventNames } from "../actiontrail";
import { RpcClient } from "../openApiCall";
import { withRetry } from "../retry";
import { VerifyOptions } from "./options";
import { checkIds, CheckResult, checkTitles } from "./results";

export async function actionTrailCheck(
    client: RpcClient,
    options: Pick<VerifyOptions, "since" | "now">,
): Promise<CheckResult> {
    const title = checkTitles[checkIds.actionTrail];
    const found: Record<string, number> = {};
    let scanned = 0;
    let truncated = false;
    for (const eventName of secretEncryptionEventNames) {
        const result = await withRetry(() =>
            lookupEvents(client, {
                eventName,
                since: options.since,
                until: options.now?.(),
                // A call KMS refused (the key disabled, say) shows ACK trying, not encryption working.
                matches: (event) => isBySecurityRole(event) && !event.errorCode,
            }),
        );
        found[eventName] = result.matching.length;
        scanned += result.scanned;
        truncated ||= result.truncated;
    }
    const since = options.since.toISOString();
    if (Object.values(found).some((count) => count > 0)) {
        const names = secretEncryptionEventNames.filter((n) => found[n] > 0).join(" and ");
        return {
            id: checkIds.actionTrail,
            title,
            status: "pass",
            detail: `${names} by ${securityRoleName.toLowerCase()} since ${since}`,
        };
    }
    return {
        id: checkIds.actionTrail,
        title,
        status: "fail",
        detail:
            `no Encrypt or Decrypt event by ${securityRoleName.toLowerCase()} since ${since} ` +
            `(${scanned} KMS events read${truncated ? ", more not read" : ""})`,
        fix:
            `Widen --since (events take a few minutes to appear); check that the ${securityRoleName} role exists ` +
            `with ${securityRolePolicyName} attached; write a Secret to make the API server call KMS.`,
    };
}
