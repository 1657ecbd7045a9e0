// `ack-kms verify` end to end: the real SDKs over HTTP against the CS, KMS, ActionTrail and RAM
// emulators, one scenario that passes and one that breaks each check.
import { strict as assert } from "assert";
import { VerifyReport } from "../../cloud/verify/results";
import { runVerifyChecks } from "../../cloud/verify/run";
import { parseSince } from "../../cloud/verify/since";
import { verifyCommand, VerifyIo } from "../../cli/verify";
import { ActionTrailEmulator, startActionTrailEmulator } from "../support/actiontrailEmulator";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";
import { KmsEmulator } from "../support/kmsEmulator";
import { RamEmulator, startRamEmulator } from "../support/ramEmulator";

const credentials = { accessKeyId: "LTAIverifyKey", accessKeySecret: "verify-secret" };
const now = new Date("2026-03-01T12:00:00Z");
const denyDocument = {
    Version: "1",
    Statement: [{ Effect: "Deny", Action: ["cs:UpdateKMSEncryption"], Resource: ["*"] }],
};

describe("ack-kms verify against emulators", () => {
    let cs: CsEmulator;
    let kms: KmsEmulator;
    let trail: ActionTrailEmulator;
    let ram: RamEmulator;

    beforeEach(async () => {
        cs = await startCsEmulator({ credentials: [credentials] });
        kms = await new KmsEmulator({ accessKeys: [credentials] }).start();
        trail = await startActionTrailEmulator({ credentials: [credentials] });
        ram = await startRamEmulator({ credentials: [credentials], pageSize: 2 });
        // A healthy setup: every check passes.
        cs.addCluster({ clusterId: "c1", encryptionKeyId: "key-1", encryptionDisabled: false });
        kms.seedKey({
            keyId: "key-1",
            deletionProtection: "Enabled",
            automaticRotation: "Enabled",
            rotationInterval: "31536000s",
        });
        trail.events.push(
            {
                eventName: "Decrypt",
                eventTime: "2026-03-01T11:00:00Z",
                userName: "aliyuncsmanagedsecurityrole:c1",
            },
            {
                eventName: "Encrypt",
                eventTime: "2026-03-01T10:00:00Z",
                userName: "aliyuncsmanagedsecurityrole:c1",
                keyId: "key-1",
            },
        );
        ram.policies.push(
            {
                policyName: "other-1",
                document: { Version: "1", Statement: [] },
                attachmentCount: 3,
            },
            {
                policyName: "other-2",
                document: {
                    Version: "1",
                    Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }],
                },
                attachmentCount: 1,
            },
            {
                policyName: "deny-kms-encryption-updates",
                document: denyDocument,
                attachmentCount: 1,
            },
        );
    });
    afterEach(async () => {
        await Promise.all([cs.close(), kms.stop(), trail.close(), ram.close()]);
    });

    function verify(clusterId = "c1"): Promise<VerifyReport> {
        return runVerifyChecks({
            clusterId,
            regionId: "cn-hangzhou",
            since: new Date("2026-02-28T12:00:00Z"),
            credentials,
            now: () => now,
            endpoints: { cs: cs.url, kms: kms.endpoint, actiontrail: trail.url, ram: ram.url },
        });
    }

    function statuses(report: VerifyReport): Record<string, string> {
        return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    }

    it("passes every check on a healthy cluster, with every request correctly signed", async () => {
        const report = await verify();
        assert.deepEqual(statuses(report), {
            "cluster-encryption": "pass",
            "key-enabled": "pass",
            "key-deletion-protection": "pass",
            "key-rotation": "pass",
            "actiontrail-kms-events": "pass",
            "ram-deny-update-kms-encryption": "pass",
        });
        assert.equal(report.ok, true);
        assert.equal(
            cs.rejectedSignatures() + trail.rejectedSignatures() + ram.rejectedSignatures(),
            0,
        );
        // Marker paging went through all three pages of two policies.
        assert.equal(ram.actions.filter((a) => a === "ListPolicies").length, 2);
        assert.deepEqual(trail.lookups[0]["LookupAttribute.1.Key"], "EventName");
        assert.equal(trail.lookups[0].StartTime, "2026-02-28T12:00:00Z");
    });

    it("fails the cluster check when encryption is off and skips the key checks", async () => {
        cs.addCluster({ clusterId: "c2" });
        const report = await verify("c2");
        const check = report.checks.find((c) => c.id === "cluster-encryption")!;
        assert.equal(check.status, "fail");
        assert.equal(
            check.detail,
            "cluster c2 (ack.pro.small, running) reports Secret encryption off",
        );
        assert.match(check.fix!, /^Turn it on: ExistingClusterEncryption/);
        assert.deepEqual(
            report.checks.filter((c) => c.id.startsWith("key-")).map((c) => c.status),
            ["skip", "skip", "skip"],
        );
        assert.equal(report.ok, false);
    });

    it("fails the key check when the key is disabled", async () => {
        kms.key("key-1").keyState = "Disabled";
        const report = await verify();
        const check = report.checks.find((c) => c.id === "key-enabled")!;
        assert.equal(check.status, "fail");
        assert.equal(check.detail, 'key-1: its state is "Disabled": it must be "Enabled"');
    });

    it("fails the deletion protection check when protection is off", async () => {
        kms.key("key-1").deletionProtection = "Disabled";
        const report = await verify();
        assert.equal(statuses(report)["key-deletion-protection"], "fail");
        assert.equal(report.ok, false);
    });

    it("fails the rotation check when automatic rotation is off", async () => {
        kms.key("key-1").automaticRotation = "Disabled";
        const report = await verify();
        const check = report.checks.find((c) => c.id === "key-rotation")!;
        assert.deepEqual(
            [check.status, check.detail],
            ["fail", "key-1 has automatic rotation Disabled"],
        );
    });

    it("only warns about rotation for an HSM key, which cannot rotate", async () => {
        kms.key("key-1").protectionLevel = "HSM";
        kms.key("key-1").automaticRotation = "Disabled";
        const report = await verify();
        assert.equal(statuses(report)["key-rotation"], "warn");
        assert.equal(report.ok, true);
    });

    it("fails the ActionTrail check without Encrypt/Decrypt by the security role", async () => {
        trail.events.splice(0, trail.events.length, {
            eventName: "Decrypt",
            eventTime: "2026-03-01T11:00:00Z",
            userName: "alice",
            userType: "ram-user",
        });
        const report = await verify();
        const check = report.checks.find((c) => c.id === "actiontrail-kms-events")!;
        assert.equal(check.status, "fail");
        assert.equal(
            check.detail,
            "no Encrypt or Decrypt event by aliyuncsmanagedsecurityrole since 2026-02-28T12:00:00.000Z (1 KMS events read)",
        );
    });

    it("fails the ActionTrail check when KMS refused the security role's calls", async () => {
        // A Decrypt refused because the key is disabled shows ACK trying, not encryption working.
        for (const event of trail.events) event.errorCode = "Forbidden.KeyNotEnabled";
        const report = await verify();
        assert.equal(statuses(report)["actiontrail-kms-events"], "fail");
    });

    it("fails the ActionTrail check when the events are older than --since", async () => {
        for (const event of trail.events) {
            event.eventTime = "2026-02-01T00:00:00Z";
        }
        const report = await verify();
        assert.equal(statuses(report)["actiontrail-kms-events"], "fail");
    });

    it("fails the RAM check without a Deny policy, and when it is not attached", async () => {
        ram.policies.splice(2, 1);
        let check = (await verify()).checks.find((c) => c.id === "ram-deny-update-kms-encryption")!;
        assert.equal(check.status, "fail");
        assert.equal(
            check.detail,
            "no custom policy denies cs:UpdateKMSEncryption on this cluster",
        );

        ram.policies.push({
            policyName: "unattached-deny",
            document: denyDocument,
            attachmentCount: 0,
        });
        check = (await verify()).checks.find((c) => c.id === "ram-deny-update-kms-encryption")!;
        assert.equal(check.status, "fail");
        assert.equal(
            check.detail,
            "unattached-deny denies it but is attached to no user, role or group",
        );
    });

    it("counts wildcard and cluster-scoped denies, and ignores denies for other clusters", async () => {
        ram.policies.splice(2, 1, {
            policyName: "deny-other-cluster",
            document: {
                Statement: [{ Effect: "Deny", Action: "cs:*", Resource: "acs:cs:*:*:cluster/c9" }],
            },
            attachmentCount: 1,
        });
        assert.equal(statuses(await verify())["ram-deny-update-kms-encryption"], "fail");
        ram.policies.push({
            policyName: "deny-c1",
            document: {
                Statement: [
                    { Effect: "Deny", Action: "CS:Update*", Resource: ["acs:cs:*:*:cluster/c1"] },
                ],
            },
            attachmentCount: 2,
        });
        assert.equal(statuses(await verify())["ram-deny-update-kms-encryption"], "pass");
    });

    describe("the RAM check judges documents as the pack does", () => {
        const ramCheck = async () =>
            (await verify()).checks.find((c) => c.id === "ram-deny-update-kms-encryption")!;
        /** Replaces the healthy Deny policy with `document` (an object, or text sent as it is). */
        const replaceDeny = (policyName: string, document: unknown) =>
            ram.policies.splice(2, 1, { policyName, document, attachmentCount: 1 });
        const noDeny = "no custom policy denies cs:UpdateKMSEncryption on this cluster";

        it("counts a Deny written with NotAction, which denies every action it does not list", async () => {
            replaceDeny("deny-all-but-ecs", {
                Version: "1",
                Statement: [{ Effect: "Deny", NotAction: ["ecs:*"], Resource: "*" }],
            });
            const check = await ramCheck();
            assert.deepEqual(
                [check.status, check.detail],
                ["pass", "deny-all-but-ecs denies it for this cluster and is attached"],
            );
        });

        it("does not count a NotAction Deny that lists the action", async () => {
            replaceDeny("deny-all-but-cs", {
                Version: "1",
                Statement: [{ Effect: "Deny", NotAction: "cs:*", Resource: "*" }],
            });
            const check = await ramCheck();
            assert.deepEqual([check.status, check.detail], ["fail", noDeny]);
        });

        it("counts a Deny whose Statement is a single object, not a list", async () => {
            replaceDeny("deny-single", {
                Version: "1",
                Statement: { Effect: "Deny", Action: "cs:UpdateKMSEncryption", Resource: "*" },
            });
            assert.equal((await ramCheck()).status, "pass");
        });

        it("does not count a Deny under a Condition, which applies only when it holds", async () => {
            replaceDeny("deny-from-office", {
                Version: "1",
                Statement: [
                    {
                        Effect: "Deny",
                        Action: "cs:UpdateKMSEncryption",
                        Resource: "*",
                        Condition: { IpAddress: { "acs:SourceIp": ["192.0.2.0/24"] } },
                    },
                ],
            });
            const check = await ramCheck();
            assert.deepEqual([check.status, check.detail], ["fail", noDeny]);
            assert.match(check.fix!, /^Create and attach one without a Condition or NotResource: /);
        });

        it("does not count a Deny with NotResource, which applies to what it does not list", async () => {
            replaceDeny("deny-not-ecs", {
                Version: "1",
                Statement: [
                    { Effect: "Deny", Action: "cs:UpdateKMSEncryption", NotResource: "acs:ecs:*" },
                ],
            });
            const check = await ramCheck();
            assert.deepEqual([check.status, check.detail], ["fail", noDeny]);
        });

        it("does not count a Deny scoped to another cluster or another region", async () => {
            replaceDeny("deny-elsewhere", {
                Version: "1",
                Statement: [
                    {
                        Effect: "Deny",
                        Action: "cs:UpdateKMSEncryption",
                        Resource: ["acs:cs:*:*:cluster/c9", "acs:cs:cn-beijing:*:cluster/c1"],
                    },
                ],
            });
            const check = await ramCheck();
            assert.deepEqual([check.status, check.detail], ["fail", noDeny]);
        });

        it("fails on duplicate keys, which JSON.parse would resolve to the last one, even beside a good Deny", async () => {
            ram.policies.push({
                policyName: "allow-then-deny",
                document:
                    '{"Version":"1","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"cs:UpdateKMSEncryption","Resource":"*"}]}',
                attachmentCount: 1,
            });
            const check = await ramCheck();
            assert.deepEqual(
                [check.status, check.detail],
                [
                    "fail",
                    'could not read custom policy allow-then-deny (duplicate key "Effect" in Statement[0])',
                ],
            );
            assert.equal(
                check.fix,
                "Rewrite the document so it reads unambiguously (valid JSON without a byte-order mark, each key once, spelled as RAM spells it), then run verify again.",
            );
        });

        it("fails on a document that starts with a byte-order mark", async () => {
            replaceDeny("bom", "\ufeff" + JSON.stringify(denyDocument));
            const check = await ramCheck();
            assert.deepEqual(
                [check.status, check.detail],
                [
                    "fail",
                    "could not read custom policy bom (the document starts with a byte-order mark)",
                ],
            );
        });

        it("fails on keys in another letter case, naming the first problems and counting the rest", async () => {
            replaceDeny("lower-case", {
                Version: "1",
                Statement: [{ effect: "Deny", action: "cs:UpdateKMSEncryption", resource: "*" }],
            });
            const check = await ramCheck();
            assert.deepEqual(
                [check.status, check.detail],
                [
                    "fail",
                    'could not read custom policy lower-case (key "effect" in Statement[0] is not spelled "Effect"; ' +
                        'key "action" in Statement[0] is not spelled "Action"; ' +
                        'key "resource" in Statement[0] is not spelled "Resource"; 3 more problems)',
                ],
            );
        });

        it("fails on a lower-case Effect value, which the old reading took for a Deny", async () => {
            replaceDeny("lower-effect", {
                Version: "1",
                Statement: [{ Effect: "deny", Action: "cs:UpdateKMSEncryption", Resource: "*" }],
            });
            const check = await ramCheck();
            assert.deepEqual(
                [check.status, check.detail],
                [
                    "fail",
                    'could not read custom policy lower-effect (Statement[0].Effect is not "Allow" or "Deny")',
                ],
            );
        });

        it("fails when GetPolicy returns no document", async () => {
            replaceDeny("empty", undefined);
            const check = await ramCheck();
            assert.equal(check.status, "fail");
            assert.match(check.detail, /^could not read custom policy empty \(/);
        });
    });

    it("turns a refused API call into a failed check that names the permission", async () => {
        const report = await runVerifyChecks({
            clusterId: "c1",
            regionId: "cn-hangzhou",
            since: new Date("2026-02-28T12:00:00Z"),
            credentials: { accessKeyId: "LTAIunknown", accessKeySecret: "x" },
            now: () => now,
            endpoints: { cs: cs.url, kms: kms.endpoint, actiontrail: trail.url, ram: ram.url },
        });
        const check = report.checks.find((c) => c.id === "cluster-encryption")!;
        assert.equal(check.status, "fail");
        assert.match(
            check.detail,
            /^could not check: CS DescribeClusterDetail failed: InvalidAccessKeyId\.NotFound: /,
        );
        assert.equal(report.ok, false);
    });

    describe("the command", () => {
        function io(env: Record<string, string | undefined>) {
            const out: string[] = [];
            const err: string[] = [];
            let code: number | undefined;
            const streams: VerifyIo = {
                env,
                stdout: (t) => out.push(t),
                stderr: (t) => err.push(t),
                exit: (c) => (code = c),
                now: () => now,
            };
            return { streams, out, err, code: () => code };
        }
        const env = {
            ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret,
        };
        const endpoints = () => [
            "--cs-endpoint",
            cs.url,
            "--kms-endpoint",
            kms.endpoint,
            "--actiontrail-endpoint",
            trail.url,
            "--ram-endpoint",
            ram.url,
        ];

        it("prints a passing checklist and exits 0", async () => {
            const run = io(env);
            await verifyCommand(run.streams).parseAsync(
                ["--cluster", "c1", "--region", "cn-hangzhou", "--since", "24h", ...endpoints()],
                { from: "user" },
            );
            const text = run.out.join("");
            assert.equal(run.code(), 0);
            assert.match(
                text,
                /^ack-kms verify: cluster c1 in cn-hangzhou \(ActionTrail since 2026-02-28T12:00:00.000Z\)\n/,
            );
            assert.match(
                text,
                /\[PASS\] Secret encryption is on and names its KMS key: cluster c1 \(ack.pro.small, running\) encrypts Secrets with key-1\n/,
            );
            assert.match(
                text,
                /\n6 passed, 0 failed, 0 warnings, 0 skipped: Secret encryption is live and protected\.\n$/,
            );
        });

        it("refuses an endpoint the client would refuse, at parse time, with the usage exit", async () => {
            // http to another machine would send the signed requests in the clear.
            const run = io(env);
            await assert.rejects(
                verifyCommand(run.streams).parseAsync(
                    [
                        "--cluster",
                        "c1",
                        "--region",
                        "cn-hangzhou",
                        "--kms-endpoint",
                        "http://kms.example.com",
                    ],
                    { from: "user" },
                ),
                (error: { exitCode?: number; message?: string }) => {
                    assert.equal(error.exitCode, 2);
                    assert.match(String(error.message), /--kms-endpoint/);
                    return true;
                },
            );
        });

        it("prints the fix under each failure and exits 1", async () => {
            kms.key("key-1").deletionProtection = "Disabled";
            const run = io(env);
            await verifyCommand(run.streams).parseAsync(
                ["--cluster", "c1", "--region", "cn-hangzhou", ...endpoints()],
                { from: "user" },
            );
            assert.equal(run.code(), 1);
            assert.match(
                run.out.join(""),
                /\[FAIL\] The key is protected from deletion: key-1 has deletion protection off\n {7}fix: Turn it on: KeyDeletionGuard \(Pulumi\), or KMS SetDeletionProtection with EnableDeletionProtection=true\.\n/,
            );
        });

        it("prints the report as JSON with --format json", async () => {
            const run = io(env);
            await verifyCommand(run.streams).parseAsync(
                ["--cluster", "c1", "--region", "cn-hangzhou", "--format", "json", ...endpoints()],
                { from: "user" },
            );
            const report = JSON.parse(run.out.join("")) as VerifyReport;
            assert.equal(report.ok, true);
            assert.equal(report.checks.length, 6);
        });

        it("exits 2 without credentials, naming the variables", async () => {
            const run = io({});
            await verifyCommand(run.streams).parseAsync(
                ["--cluster", "c1", "--region", "cn-hangzhou"],
                { from: "user" },
            );
            assert.equal(run.code(), 2);
            assert.match(
                run.err.join(""),
                /^ack-kms verify: No Alibaba Cloud credentials in the environment: set ALIBABA_CLOUD_ACCESS_KEY_ID/,
            );
        });

        it("exits 2 on a bad --since", async () => {
            const run = io(env);
            await verifyCommand(run.streams).parseAsync(
                ["--cluster", "c1", "--region", "cn-hangzhou", "--since", "yesterday"],
                { from: "user" },
            );
            assert.equal(run.code(), 2);
            assert.equal(
                run.err.join(""),
                'ack-kms verify: [--since] "yesterday" is not a duration or a time: use e.g. 30m, 24h, 7d or 2026-01-31T00:00:00Z.\n',
            );
        });

        it("throws a CommanderError with exit code 2 on a missing option", async () => {
            const run = io(env);
            await assert.rejects(
                verifyCommand(run.streams).parseAsync(["--region", "cn-hangzhou"], {
                    from: "user",
                }),
                (error: any) =>
                    error.exitCode === 2 && error.code === "commander.missingMandatoryOptionValue",
            );
            assert.match(run.err.join(""), /required option '--cluster <id>' not specified/);
        });
    });
});

describe("parseSince", () => {
    const at = new Date("2026-03-01T12:00:00Z");
    it("reads durations and ISO times", () => {
        assert.equal(parseSince("30m", at).toISOString(), "2026-03-01T11:30:00.000Z");
        assert.equal(parseSince("24h", at).toISOString(), "2026-02-28T12:00:00.000Z");
        assert.equal(parseSince("7d", at).toISOString(), "2026-02-22T12:00:00.000Z");
        assert.equal(
            parseSince("2026-02-01T00:00:00Z", at).toISOString(),
            "2026-02-01T00:00:00.000Z",
        );
    });
    it("refuses the future and more than 90 days", () => {
        assert.throws(() => parseSince("2026-04-01T00:00:00Z", at), {
            message: '[--since] "2026-04-01T00:00:00Z" is in the future: give a time in the past.',
        });
        assert.throws(() => parseSince("91d", at), {
            message:
                '[--since] "91d" is more than 90 days ago: ActionTrail keeps events for 90 days.',
        });
    });
});
