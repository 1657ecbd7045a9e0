// `ack-kms audit` end to end on the emulators: the real SDKs over HTTP, several regions, pages,
// throttling, and one cluster for each kind of trouble audit must find.
import Ajv from "ajv";
import { strict as assert } from "assert";
import { runAudit } from "../../audit/run";
import { applyFixes, planFixes } from "../../audit/fix";
import { startActionTrailEmulator } from "../support/actiontrailEmulator";
import { AuditOptions } from "../../audit/options";
import { AuditReport } from "../../audit/model";
import { renderAuditHtml } from "../../audit/render/html";
import { renderAuditSarif } from "../../audit/render/sarif";
import { renderAuditTable } from "../../audit/render/table";
import schema from "../../audit/audit-report.schema.json";
import {
    addHealthyCluster,
    addHealthyClusters,
    addTroubles,
    Fleet,
    fleetCredentials,
    fleetNow,
    startFleet,
} from "./fleet";

const regions = ["cn-hangzhou", "cn-beijing", "cn-shanghai"];

function options(fleet: Fleet, overrides: Partial<AuditOptions> = {}): AuditOptions {
    return {
        regions: fleet.regions,
        credentials: fleetCredentials,
        endpoints: fleet.endpoints,
        now: () => fleetNow,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        ...overrides,
    };
}

function cluster(report: AuditReport, clusterId: string) {
    const found = report.clusters.find((c) => c.clusterId === clusterId);
    assert.ok(found, `no ${clusterId} in the report`);
    return found;
}

function status(report: AuditReport, clusterId: string, checkId: string) {
    return cluster(report, clusterId).checks.find((c) => c.id === checkId)?.status;
}

describe("ack-kms audit against emulators", function () {
    this.timeout(120_000);
    let fleet: Fleet;

    beforeEach(async () => {
        fleet = await startFleet(regions);
    });
    afterEach(async () => {
        await fleet.close();
    });

    it("passes a healthy fleet over three regions and reads the RAM policies once", async () => {
        addHealthyClusters(fleet, 9);
        const report = await runAudit(options(fleet));
        assert.equal(report.summary.clusters, 9);
        assert.equal(
            report.ok,
            true,
            JSON.stringify(
                report.clusters.flatMap((c) => c.checks.filter((k) => k.status === "fail")),
            ),
        );
        assert.deepEqual(
            [...new Set(report.clusters.map((c) => c.regionId))].sort(),
            [...regions].sort(),
        );
        assert.equal(fleet.ram.actions.filter((a) => a === "ListPolicies").length, 1);
    });

    it("counts a system policy that grants key destruction, as the pack does", async () => {
        addHealthyCluster(fleet, "cn-hangzhou", "good");
        fleet.ram.systemAttachments.set("AliyunKMSFullAccess", { users: ["carol"] });
        const report = await runAudit(options(fleet));
        const check = cluster(report, "good").checks.find(
            (c) => c.id === "ram-key-destruction-denied",
        )!;
        assert.equal(check.status, "fail");
        assert.match(
            check.detail,
            /^user:carol \(kms:DisableKey, .* through AliyunKMSFullAccess\)/,
        );
    });

    it("finds each kind of trouble and only there", async () => {
        addHealthyCluster(fleet, "cn-hangzhou", "good");
        addTroubles(fleet);
        const report = await runAudit(options(fleet));
        assert.equal(report.ok, false);
        assert.equal(cluster(report, "good").ok, true);
        assert.equal(status(report, "bad-unencrypted", "cluster-encryption"), "fail");
        assert.equal(status(report, "bad-unencrypted", "key-enabled"), "skip");
        assert.equal(status(report, "bad-unprotected", "key-deletion-protection"), "fail");
        assert.equal(status(report, "bad-expired", "kms-instance-renewal"), "fail");
        assert.match(
            cluster(report, "bad-expired").checks.find((c) => c.id === "kms-instance-renewal")!
                .detail,
            /kst-expired expired on 2026-02-01T00:00:00.000Z/,
        );
        assert.equal(status(report, "bad-keypolicy", "kms-instance-renewal"), "pass");
        assert.equal(status(report, "bad-keypolicy", "key-policy-allows-ack-role"), "fail");
        assert.equal(status(report, "bad-exposed", "ram-key-destruction-denied"), "fail");
        assert.match(
            cluster(report, "bad-exposed").checks.find(
                (c) => c.id === "ram-key-destruction-denied",
            )!.detail,
            /^user:alice \(kms:DisableKey through ops-disable-one-key\) on key-exposed$/,
        );
        // bob's grant is covered by his Deny everywhere, so the healthy cluster's key stays safe.
        assert.equal(status(report, "good", "ram-key-destruction-denied"), "pass");
        assert.deepEqual(report.summary, {
            clusters: 6,
            unencrypted: 1,
            keysAtRisk: 4,
            failedClusters: 5,
            regionsFailed: 0,
        });
        assert.match(
            renderAuditTable(report),
            /6 clusters, 1 unencrypted, 4 keys at risk, 5 failing\n$/,
        );
    });

    it("reads every page and survives throttling", async () => {
        addHealthyClusters(fleet, 250);
        fleet.cs.throttle(3, "DescribeClustersV1");
        fleet.kms
            .get("cn-beijing")!
            .injectFault({ kind: "throttle", times: 4, action: "DescribeKey" });
        const report = await runAudit(options(fleet, { concurrency: 8 }));
        assert.equal(report.summary.clusters, 250);
        assert.equal(report.ok, true);
        // 84 clusters in cn-hangzhou: one page of 100; none needs a second page here, so check counts.
        const listCalls = fleet.cs.calls.filter((c) => c.action === "DescribeClustersV1");
        assert.equal(listCalls.filter((c) => c.statusCode === 200).length, 3);
        assert.equal(report.stats.throttled, 7);
    });

    it("pages through a region with more clusters than a page holds", async () => {
        for (let i = 0; i < 230; i++) {
            addHealthyCluster(fleet, "cn-hangzhou", `p${String(i).padStart(3, "0")}`);
        }
        const report = await runAudit(options(fleet, { regions: ["cn-hangzhou"] }));
        assert.equal(report.summary.clusters, 230);
        const pages = fleet.cs.calls.filter((c) => c.action === "DescribeClustersV1");
        assert.equal(pages.length, 3);
        assert.equal(new Set(report.clusters.map((c) => c.clusterId)).size, 230);
    });

    it("lists the regions with DescribeRegions for --all-regions", async () => {
        addHealthyClusters(fleet, 3);
        const report = await runAudit(options(fleet, { regions: [], allRegions: true }));
        assert.equal(report.regionSource, "cs:DescribeRegions");
        assert.deepEqual(report.regions, fleet.cs.regions);
        assert.equal(report.summary.clusters, 3);
    });

    it("fails closed when a region cannot be listed", async () => {
        addHealthyClusters(fleet, 3);
        fleet.cs.throttle(50, "DescribeClustersV1");
        const report = await runAudit(options(fleet, { regions: ["cn-hangzhou"], concurrency: 1 }));
        assert.equal(report.ok, false);
        assert.equal(report.regionFailures.length, 1);
        assert.equal(report.regionFailures[0].code, "Throttling.User");
    });

    it("writes JSON the schema accepts, SARIF with one result per failure, and escaped HTML", async () => {
        addTroubles(fleet);
        fleet.cs.addCluster({
            clusterId: "xss",
            regionId: "cn-hangzhou",
            name: '<script>alert("x")</script>',
        });
        const report = await runAudit(options(fleet));
        // Formats are annotations here (no ajv-formats installed); the shape is what is checked.
        const ajv = new Ajv({ allErrors: true, strict: true, validateFormats: false });
        const validate = ajv.compile(schema);
        const json = JSON.parse(JSON.stringify(report)) as unknown;
        assert.ok(validate(json), ajv.errorsText(validate.errors));
        assert.equal(validate({ ...(json as object), extra: 1 }), false);
        const sarif = renderAuditSarif(report) as { runs: Array<{ results: unknown[] }> };
        const failures = report.clusters.flatMap((c) =>
            c.checks.filter((k) => k.status === "fail"),
        );
        assert.equal(sarif.runs[0].results.length, failures.length);
        const html = renderAuditHtml(report);
        assert.ok(!html.includes("<script>"));
        assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    });

    it("plans deletion protection for unprotected bound keys and encryption only for named clusters", async () => {
        addTroubles(fleet);
        const report = await runAudit(options(fleet));
        assert.deepEqual(planFixes(report), [
            {
                kind: "deletion-protection",
                regionId: "cn-hangzhou",
                keyId: "key-unprotected",
                clusterIds: ["bad-unprotected"],
            },
        ]);
        const withEncryption = planFixes(report, {
            enableEncryptionFor: ["bad-unencrypted"],
            keyId: "key-new",
        });
        assert.equal(withEncryption.length, 2);
        assert.throws(
            () => planFixes(report, { enableEncryptionFor: ["nope"], keyId: "key-new" }),
            /^Error: \[--cluster\] "nope" is not among the clusters audited/,
        );
    });

    it("turns encryption on for a named cluster with --enable-encryption, and nothing else", async () => {
        addTroubles(fleet);
        fleet.kms.get("cn-hangzhou")!.seedKey({ keyId: "key-new", deletionProtection: "Enabled" });
        const report = await runAudit(options(fleet));
        const fixes = planFixes(report, {
            enableEncryptionFor: ["bad-unencrypted"],
            keyId: "key-new",
        });
        const outcomes = await applyFixes(fixes, {
            ...options(fleet),
            encryptionTiming: { pollIntervalMs: 50 },
        });
        assert.deepEqual(
            outcomes.map((o) => [o.fix.kind, o.applied, o.message]),
            [
                ["deletion-protection", true, "deletion protection on"],
                ["enable-encryption", true, "Secret encryption on"],
            ],
        );
        assert.equal(fleet.cs.clusters.get("bad-unencrypted")!.encryptionKeyId, "key-new");
        const updates = fleet.cs.calls.filter((c) => c.action === "UpdateKMSEncryption");
        assert.deepEqual(
            updates.map((c) => c.clusterId),
            ["bad-unencrypted"],
        );
        const after = await runAudit(options(fleet));
        assert.equal(status(after, "bad-unencrypted", "cluster-encryption"), "pass");
        assert.equal(status(after, "bad-unprotected", "key-deletion-protection"), "pass");
    });

    it("checks ActionTrail once per region with --since, only for encrypted clusters", async () => {
        const trail = await startActionTrailEmulator({ credentials: [fleetCredentials] });
        try {
            addHealthyCluster(fleet, "cn-hangzhou", "used");
            addHealthyCluster(fleet, "cn-hangzhou", "used-too");
            fleet.cs.addCluster({ clusterId: "plain", regionId: "cn-hangzhou" });
            addHealthyCluster(fleet, "cn-beijing", "unused");
            trail.events.push({
                eventName: "Decrypt",
                eventTime: "2026-03-01T11:00:00Z",
                userName: "aliyuncsmanagedsecurityrole:used",
            });
            const report = await runAudit(
                options(fleet, {
                    regions: ["cn-hangzhou"],
                    since: new Date("2026-03-01T00:00:00Z"),
                    endpoints: {
                        ...fleet.endpoints,
                        actiontrail: { all: trail.url, byRegion: {} },
                    },
                }),
            );
            assert.equal(status(report, "used", "actiontrail-kms-events"), "pass");
            assert.equal(status(report, "used-too", "actiontrail-kms-events"), "pass");
            assert.equal(status(report, "plain", "actiontrail-kms-events"), "skip");
            // One lookup per event name (Encrypt, Decrypt) for the region, not per cluster.
            const lookups = trail.lookups.length;
            assert.equal(lookups, 2);
            const again = await runAudit(
                options(fleet, {
                    since: new Date("2026-03-01T00:00:00Z"),
                    endpoints: {
                        ...fleet.endpoints,
                        actiontrail: { all: trail.url, byRegion: {} },
                    },
                }),
            );
            // Every region reads the one emulator here, so cn-beijing sees cn-hangzhou's events too.
            assert.equal(status(again, "unused", "actiontrail-kms-events"), "pass");
            // cn-hangzhou and cn-beijing; cn-shanghai has no encrypted cluster and is not looked up.
            assert.equal(trail.lookups.length, lookups + 4);
        } finally {
            await trail.close();
        }
    });

    it("passes a pay-as-you-go instance without asking billing, and fails an instance billing does not list", async () => {
        const kms = fleet.kms.get("cn-hangzhou")!;
        kms.instances.set("kst-payg", {
            instanceId: "kst-payg",
            chargeType: "POSTPAY",
            status: "Connected",
        });
        kms.instances.set("kst-unbilled", {
            instanceId: "kst-unbilled",
            chargeType: "PREPAY",
            endDate: "2027-01-01T00:00:00Z",
            status: "Connected",
        });
        for (const [clusterId, instanceId] of [
            ["payg", "kst-payg"],
            ["unbilled", "kst-unbilled"],
        ]) {
            kms.seedKey({
                keyId: `key-${clusterId}`,
                dkmsInstanceId: instanceId,
                deletionProtection: "Enabled",
            });
            fleet.cs.addCluster({
                clusterId,
                regionId: "cn-hangzhou",
                encryptionKeyId: `key-${clusterId}`,
                encryptionDisabled: false,
            });
        }
        const report = await runAudit(options(fleet, { regions: ["cn-hangzhou"] }));
        assert.equal(status(report, "payg", "kms-instance-renewal"), "pass");
        assert.equal(status(report, "unbilled", "kms-instance-renewal"), "fail");
        assert.match(
            cluster(report, "unbilled").checks.find((c) => c.id === "kms-instance-renewal")!.detail,
            /could not check: BssOpenApi QueryAvailableInstances failed: InstanceNotListed/,
        );
        assert.deepEqual(fleet.bss.actions, ["QueryAvailableInstances"]);
    });
});
