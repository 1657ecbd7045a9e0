// The checks behind `ack-kms verify`: is Secret encryption really live on a cluster, and is it
// protected? Each check runs on its own, so one failing API call never hides the other findings.
import { createActionTrailClient } from "../actiontrail";
import { ClusterDetail, createCsClient, describeCluster } from "../cs";
import { createKmsClient, describeKey } from "../kms";
import { RpcClient } from "../openApiCall";
import { createRamClient } from "../ram";
import { withRetry } from "../retry";
import { actionTrailCheck } from "./actionTrailCheck";
import { clusterCheck } from "./clusterEncryptionCheck";
import { customPoliciesRead, denyPolicyCheckOf, readCustomPolicies } from "./denyPolicyCheck";
import { VerifyOptions } from "./options";
import { clusterKeyChecks } from "./clusterKeyChecks";
import { checkIds, CheckResult, checkTitles, failedCall, VerifyReport } from "./results";

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
                checkTitles[checkIds.clusterEncryption],
                error,
                "cs:DescribeClusterDetail",
            ),
        );
    }

    const keyChecks = await clusterKeyChecks(cluster?.encryptionKeyId, (keyId) =>
        describeKey(kms, keyId),
    );
    checks.push(...keyChecks.checks);

    checks.push(
        await checkOrFailedCall(
            () => actionTrailCheck(trail, options),
            checkIds.actionTrail,
            checkTitles[checkIds.actionTrail],
            "actiontrail:LookupEvents",
        ),
        await checkOrFailedCall(
            () => denyPolicyCheck(ram, options),
            checkIds.denyPolicy,
            checkTitles[checkIds.denyPolicy],
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
