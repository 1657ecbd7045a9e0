// `ack-kms audit` as a process: exit codes, formats on stdout, progress on stderr, --fix dry run
// and --yes, and waivers. The emulators run in this process, so the CLI runs asynchronously.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    addHealthyCluster,
    addHealthyClusters,
    Fleet,
    fleetCredentials,
    startFleet,
} from "./fleet";

const repoRoot = path.resolve(__dirname, "../..");

function ackKms(args: string[], env: NodeJS.ProcessEnv = {}) {
    return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(repoRoot, "cli/index.ts"), ...args],
            {
                cwd: repoRoot,
                env: {
                    PATH: process.env.PATH,
                    ALIBABA_CLOUD_ACCESS_KEY_ID: fleetCredentials.accessKeyId,
                    ALIBABA_CLOUD_ACCESS_KEY_SECRET: fleetCredentials.accessKeySecret,
                    ...env,
                },
                timeout: 120_000,
            },
            (error, stdout, stderr) => {
                const status = error ? ((error as { code?: number }).code ?? null) : 0;
                resolve({ status: typeof status === "number" ? status : null, stdout, stderr });
            },
        );
    });
}

describe("ack-kms audit as a process", function () {
    this.timeout(180_000);
    let fleet: Fleet;
    let dir: string;

    beforeEach(async () => {
        fleet = await startFleet(["cn-hangzhou", "cn-beijing"]);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-audit-"));
    });
    afterEach(async () => {
        await fleet.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits 0 with a table and a summary line when every cluster passes", async () => {
        addHealthyClusters(fleet, 4);
        const run = await ackKms([
            "audit",
            "--region",
            "cn-hangzhou",
            "--region",
            "cn-beijing",
            ...fleet.flags,
        ]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^CLUSTER +NAME +REGION/m);
        assert.match(run.stdout, /\n4 clusters, 0 unencrypted, 0 keys at risk, 0 failing\n$/);
        assert.match(run.stderr, /cn-hangzhou: 2 clusters \(1 pages\)/);
        assert.ok(!run.stdout.includes(fleetCredentials.accessKeySecret));
        assert.ok(!run.stderr.includes(fleetCredentials.accessKeySecret));
    });

    it("exits 1 with JSON when a cluster fails, and the dry run of --fix changes nothing", async () => {
        addHealthyCluster(fleet, "cn-hangzhou", "good");
        const key = fleet.kms.get("cn-hangzhou")!.seedKey({
            keyId: "key-open",
            automaticRotation: "Enabled",
            rotationInterval: "31536000s",
        });
        fleet.cs.addCluster({
            clusterId: "open",
            regionId: "cn-hangzhou",
            encryptionKeyId: key,
            encryptionDisabled: false,
        });
        const run = await ackKms([
            "audit",
            "--region",
            "cn-hangzhou",
            "--format",
            "json",
            "--fix",
            ...fleet.flags,
        ]);
        assert.equal(run.status, 1, run.stderr);
        const report = JSON.parse(run.stdout) as { summary: { keysAtRisk: number } };
        assert.equal(report.summary.keysAtRisk, 1);
        assert.match(
            run.stderr,
            /1 fixes \(dry run: add --yes to apply\):\n {2}- turn on deletion protection for key key-open in cn-hangzhou \(bound to open\)/,
        );
        assert.equal(fleet.kms.get("cn-hangzhou")!.key("key-open").deletionProtection, "Disabled");
    });

    it("applies the fix with --yes", async () => {
        const key = fleet.kms.get("cn-hangzhou")!.seedKey({
            keyId: "key-open",
            automaticRotation: "Enabled",
            rotationInterval: "31536000s",
        });
        fleet.cs.addCluster({
            clusterId: "open",
            regionId: "cn-hangzhou",
            encryptionKeyId: key,
            encryptionDisabled: false,
        });
        const run = await ackKms([
            "audit",
            "--region",
            "cn-hangzhou",
            "--fix",
            "--yes",
            ...fleet.flags,
        ]);
        assert.match(
            run.stderr,
            /applied: turn on deletion protection for key key-open in cn-hangzhou \(bound to open\): deletion protection on/,
        );
        assert.equal(fleet.kms.get("cn-hangzhou")!.key("key-open").deletionProtection, "Enabled");
        // The report was taken before the fix: this run still exits 1; the next one passes.
        assert.equal(run.status, 1);
        const again = await ackKms(["audit", "--region", "cn-hangzhou", ...fleet.flags]);
        assert.equal(again.status, 0, again.stdout);
    });

    it("waives a finding by check id and cluster id, and fails on an expired waiver naming its owner", async () => {
        fleet.cs.addCluster({ clusterId: "legacy-1", regionId: "cn-hangzhou" });
        const waived = path.join(dir, "waivers.yaml");
        fs.writeFileSync(
            waived,
            "- policy: cluster-encryption\n  resource: legacy-*\n  reason: migrating to ACK Pro in Q3\n  owner: platform-team\n  expires: 2099-12-31\n",
        );
        const sarifRun = await ackKms([
            "audit",
            "--region",
            "cn-hangzhou",
            "--format",
            "sarif",
            "--waivers",
            waived,
            ...fleet.flags,
        ]);
        assert.equal(sarifRun.status, 0, sarifRun.stderr);
        const sarif = JSON.parse(sarifRun.stdout) as {
            runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown[] }> }>;
        };
        const result = sarif.runs[0].results.find((r) => r.ruleId === "cluster-encryption");
        assert.equal(result?.suppressions?.length, 1);
        fs.writeFileSync(
            waived,
            JSON.stringify([
                {
                    policy: "cluster-encryption",
                    resource: "legacy-1",
                    reason: "r",
                    owner: "alice",
                    expires: "2020-01-01",
                },
            ]),
        );
        const expired = await ackKms([
            "audit",
            "--region",
            "cn-hangzhou",
            "--waivers",
            waived,
            ...fleet.flags,
        ]);
        assert.equal(expired.status, 1);
        assert.match(
            expired.stderr,
            /waiver of cluster-encryption for "legacy-1" \(owner alice\) expired on 2020-01-01/,
        );
    });

    it("exits 2 on usage errors, rejected waivers and refused credentials", async () => {
        const noRegion = await ackKms(["audit", ...fleet.flags]);
        assert.equal(noRegion.status, 2);
        assert.match(noRegion.stderr, /\[--region\] none given/);
        const badWaiver = path.join(dir, "bad.json");
        fs.writeFileSync(
            badWaiver,
            JSON.stringify([{ policy: "cluster-encryption", resource: "x", owner: "bob" }]),
        );
        const rejected = await ackKms([
            "audit",
            "--region",
            "cn-hangzhou",
            "--waivers",
            badWaiver,
            ...fleet.flags,
        ]);
        assert.equal(rejected.status, 2);
        assert.match(rejected.stderr, /\[waivers\[0\]\.reason\] is missing/);
        const refused = await ackKms(["audit", "--region", "cn-hangzhou", ...fleet.flags], {
            ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIunknown",
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong-secret",
        });
        assert.equal(refused.status, 2, refused.stderr);
        assert.match(refused.stderr, /the credentials were refused/);
        assert.ok(!refused.stderr.includes("wrong-secret"));
    });
});
