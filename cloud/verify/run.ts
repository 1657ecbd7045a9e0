// The checks behind `ack-kms verify`: is Secret encryption really live on a cluster, and is it
// protected? Each check runs on its own, so one failing API call never hides the other findings.
import { updateKmsEncryptionAction } from "../../policy/facts";
import { createActionTrailClient } from "../actiontrail";
import { ClusterDetail, createCsClient, describeCluster } from "../cs";
import { createKmsClient, describeKey } from "../kms";
import { RpcClient } from "../openApiCall";
import { createRamClient } from "../ram";
import { withRetry } from "../retry";
import { actionTrailCheck } from "./actionTrailCheck";
import { clusterCheck } from "./clusterEncryptionCheck";
import { deletionProtectionCheck } from "./deletionProtectionCheck";
import { customPoliciesRead, denyPolicyCheckOf, readCustomPolicies } from "./denyPolicyCheck";
import { keyEnabledCheck } from "./keyEnabledCheck";
import { VerifyOptions } from "./options";
import { checkIds, CheckResult, failedCall, skipped, VerifyReport } from "./results";
import { rotationCheck } from "./rotationCheck";

async function denyPolicyCheck(client: RpcClient, options: VerifyOptions): Promise<CheckResult> {
    const read = await readCustomPolicies(client, options.maxPoliciesRead ?? customPoliciesRead);
    return denyPolicyCheckOf(read, options.clusterId, options.regionId);
}

/** The check `run` makes, or, when its calls fail, a failed check saying what they need. */
async function checkOrFailedCall(
    run: () => Promise<CheckResult>,
    id: string,
    title: string,
    permission: string,
): Promise<CheckResult> {
    try {
        return await run();
    } catch (error) {
        return failedCall(id, title, error, permission);
    }
}

/** Runs every check against the cloud (or the given endpoints) and returns the report. */
export async function runVerifyChecks(options: VerifyOptions): Promise<VerifyReport> {
    const endpoints = options.endpoints ?? {};
    const common = { credentials: options.credentials, timeoutMs: options.timeoutMs };
    const cs = createCsClient({ regionId: options.regionId, endpoint: endpoints.cs, ...common });
    const kms = createKmsClient({ regionId: options.regionId, endpoint: endpoints.kms, ...common });
    const trail = createActionTrailClient({
        regionId: options.regionId,
        endpoint: endpoints.actiontrail,
        ...common,
    });
    const ram = createRamClient({ endpoint: endpoints.ram, ...common });
    const checks: CheckResult[] = [];

    let cluster: ClusterDetail | undefined;
    try {
        cluster = await withRetry(() => describeCluster(cs, options.clusterId));
        checks.push(clusterCheck(cluster, options.clusterId));
    } catch (error) {
        checks.push(
            failedCall(
                checkIds.clusterEncryption,
                "Secret encryption is on and names its KMS key",
                error,
                "cs:DescribeClusterDetail",
            ),
        );
    }

    const keyTitles = {
        [checkIds.keyEnabled]: "The key is Enabled and fit for Secrets",
        [checkIds.keyDeletionProtection]: "The key is protected from deletion",
        [checkIds.keyRotation]: "The key rotates automatically",
    };
    const keyCheckIds = [
        checkIds.keyEnabled,
        checkIds.keyDeletionProtection,
        checkIds.keyRotation,
    ] as const;
    if (cluster?.encryptionKeyId) {
        try {
            const key = await describeKey(kms, cluster.encryptionKeyId);
            checks.push(keyEnabledCheck(key), deletionProtectionCheck(key), rotationCheck(key));
        } catch (error) {
            for (const id of keyCheckIds) {
                checks.push(failedCall(id, keyTitles[id], error, "kms:DescribeKey"));
            }
        }
    } else {
        for (const id of keyCheckIds) {
            checks.push(skipped(id, keyTitles[id], "the cluster names no KMS key"));
        }
    }

    checks.push(
        await checkOrFailedCall(
            () => actionTrailCheck(trail, options),
            checkIds.actionTrail,
            "ActionTrail shows ACK encrypting with KMS",
            "actiontrail:LookupEvents",
        ),
        await checkOrFailedCall(
            () => denyPolicyCheck(ram, options),
            checkIds.denyPolicy,
            `A RAM policy denies ${updateKmsEncryptionAction}`,
            "ram:ListPolicies and ram:GetPolicy",
        ),
    );

    return {
        clusterId: options.clusterId,
        regionId: options.regionId,
        since: options.since.toISOString(),
        ok: checks.every((c) => c.status !== "fail") && checks.some((c) => c.status === "pass"),
        checks,
    };
}
