// Figures for `ack-kms audit` on the emulators through the real SDKs: a fleet of 200 clusters over
// 3 regions (a tenth unencrypted, a tenth of keys in KMS instances), with ten throttled answers in
// a row on the cluster listing (one CS endpoint for all regions) and ten on DescribeKey in each
// region. For each
// concurrency: API calls (as the client counts them, and as the emulators saw them), throttled
// answers survived, wall time. Production backoff (cloud/retry.ts defaults).
// Run: npx ts-node --transpile-only bench/audit/index.ts [--json]
import { performance } from "perf_hooks";
import { runAudit } from "../../audit/run";
import {
    addHealthyCluster,
    Fleet,
    fleetCredentials,
    fleetNow,
    startFleet,
} from "../../test/audit/fleet";

const regions = ["cn-hangzhou", "cn-beijing", "cn-shanghai"];
const clusterCount = 200;
const throttlesPerRegion = 10;

async function fleetOf(): Promise<Fleet> {
    const fleet = await startFleet(regions);
    for (let i = 0; i < clusterCount; i++) {
        const regionId = regions[i % regions.length];
        const clusterId = `c${String(i).padStart(4, "0")}`;
        if (i % 10 === 3) {
            fleet.cs.addCluster({ clusterId, regionId });
            continue;
        }
        const keyId = addHealthyCluster(fleet, regionId, clusterId);
        if (i % 10 === 5) {
            const kms = fleet.kms.get(regionId)!;
            const instanceId = `kst-${regionId}`;
            kms.instances.set(instanceId, {
                instanceId,
                chargeType: "PREPAY",
                endDate: "2027-01-01T00:00:00Z",
                status: "Connected",
            });
            fleet.bss.instances.set(instanceId, {
                instanceId,
                subscriptionType: "Subscription",
                renewStatus: "AutoRenewal",
                endTime: "2027-01-01T00:00:00Z",
            });
            kms.key(keyId).dkmsInstanceId = instanceId;
        }
    }
    for (let i = 0; i < 30; i++) {
        fleet.ram.policies.push({
            policyName: `team-${i}`,
            document: {
                Version: "1",
                Statement: [{ Effect: "Allow", Action: "ecs:Describe*", Resource: "*" }],
            },
            attachmentCount: 1,
        });
    }
    return fleet;
}

async function measure(concurrency: number) {
    const fleet = await fleetOf();
    fleet.cs.throttle(throttlesPerRegion, "DescribeClustersV1");
    for (const kms of fleet.kms.values()) {
        kms.injectFault({ kind: "throttle", times: throttlesPerRegion, action: "DescribeKey" });
    }
    const started = performance.now();
    const report = await runAudit({
        regions,
        credentials: fleetCredentials,
        endpoints: fleet.endpoints,
        now: () => fleetNow,
        concurrency,
    });
    const ms = performance.now() - started;
    const seen =
        fleet.cs.calls.length +
        [...fleet.kms.values()].reduce((n, k) => n + k.calls.length, 0) +
        fleet.ram.actions.length +
        fleet.bss.actions.length;
    await fleet.close();
    return {
        concurrency,
        clusters: report.summary.clusters,
        unencrypted: report.summary.unencrypted,
        failing: report.summary.failedClusters,
        regionsFailed: report.summary.regionsFailed,
        apiCalls: report.stats.apiCalls,
        callsSeenByEmulators: seen,
        throttledSurvived: report.stats.throttled,
        ms: Math.round(ms),
    };
}

async function main(): Promise<void> {
    const figures = [];
    for (const concurrency of [1, 8, 32]) {
        figures.push(await measure(concurrency));
    }
    if (process.argv.includes("--json")) {
        console.log(JSON.stringify(figures, null, 2));
        return;
    }
    console.log(
        `ack-kms audit, ${clusterCount} clusters over ${regions.length} regions, ${throttlesPerRegion} throttled listings in a row and ${throttlesPerRegion} throttled DescribeKey per region`,
    );
    console.table(figures);
}

void main();
