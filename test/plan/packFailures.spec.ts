// `ack-kms plan` when something fails while policy packs run: the program throws after a pack has
// started, or a pack fails to start while the program succeeds. Both exit 2 with the message of
// what failed, and no pack process outlives the command.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackProcess } from "../../offline/analyzer";
import { ackKms, fixture } from "./support";

/** A JavaScript pack that writes its process id to the file named by ACK_KMS_TEST_PACK_PID_FILE. */
const pidPack = fixture("policy-pid-pack");
const brokenPack = fixture("policy-broken-pack");
/** A plan of these fixtures takes seconds; one still running after this never ends by itself. */
const commandTimeoutMs = 60_000;

/**
 * Whether the process `pid` is alive and is a pack started from `packDir` (its command line names
 * the folder), so a process id reused by something else after the pack exited does not count.
 */
function packProcessRunning(pid: number, packDir: string): boolean {
    try {
        process.kill(pid, 0);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ESRCH") {
            return false;
        }
        throw e;
    }
    const cmdline = `/proc/${pid}/cmdline`;
    if (!fs.existsSync(cmdline)) {
        // No procfs (not Linux): a live process with the pack's id is taken to be the pack.
        return true;
    }
    try {
        return fs.readFileSync(cmdline, "utf8").split("\0").includes(packDir);
    } catch {
        // It exited between the two checks.
        return false;
    }
}

describe("plan: failures while policy packs run", function () {
    // The CLI, its program and its pack share two cores with other suites.
    this.timeout(120_000);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-pack-failures-"));
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("recognises a running pack by its process id and folder, and not once it is closed", async () => {
        const pidFile = path.join(scratch, "started.pid");
        process.env.ACK_KMS_TEST_PACK_PID_FILE = pidFile;
        let pack: PolicyPackProcess;
        try {
            pack = await PolicyPackProcess.start({
                packDir: pidPack,
                project: "p",
                stack: "dev",
                dryRun: true,
            });
        } finally {
            delete process.env.ACK_KMS_TEST_PACK_PID_FILE;
        }
        const pid = Number(fs.readFileSync(pidFile, "utf8"));
        assert.strictEqual(pid, pack.pid);
        assert.strictEqual(packProcessRunning(pid, pidPack), true);
        assert.strictEqual(packProcessRunning(pid, brokenPack), false);
        await pack.close();
        assert.strictEqual(packProcessRunning(pid, pidPack), false);
    });

    it("exits 2 with the program's message when the program throws, and stops the pack it started", () => {
        const pidFile = path.join(scratch, "program-throws.pid");
        const result = ackKms(
            ["plan", fixture("plan-throws"), "-q", "--policy-pack", pidPack],
            {
                PULUMI_NODEJS_TRANSPILE_ONLY: "true",
                ACK_KMS_TEST_PACK_PID_FILE: pidFile,
            },
            commandTimeoutMs,
        );
        // The pack wrote its id before serving: it was started, so it must have been stopped.
        assert.ok(fs.existsSync(pidFile), "the policy pack was never started");
        const pid = Number(fs.readFileSync(pidFile, "utf8"));
        const leftRunning = packProcessRunning(pid, pidPack);
        if (leftRunning) {
            process.kill(pid);
        }
        assert.strictEqual(leftRunning, false, `policy pack process ${pid} is still running`);
        assert.strictEqual(
            result.stderr,
            'ack-kms plan: The program in test/fixtures/plan-throws failed: [clusterSpec] "ack.standard" is not ACK Pro: use ack.pro.small.\n',
        );
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(result.status, 2);
    });

    it("exits 2 with the pack's message when a pack fails to start while the program succeeds", () => {
        const result = ackKms(
            ["plan", fixture("plan-basic"), "-q", "--policy-pack", brokenPack],
            { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
            commandTimeoutMs,
        );
        const lines = result.stderr.split("\n");
        assert.deepStrictEqual(lines.slice(0, 3), [
            `ack-kms plan: policy pack "${brokenPack}" exited with code 32 before it printed its port:`,
            `error: [runtime] Running program '${brokenPack}' failed with an unhandled exception:`,
            "    Error: the broken pack refuses to start",
        ]);
        // The rest is the pack's stack trace, which starts in its own file.
        assert.match(lines[3], /^ {4}at .*policy-broken-pack[\\/]index\.js:2:7\)$/);
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(result.status, 2);
    });
});
