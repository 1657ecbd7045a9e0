// Does the real CLI serve custom resources of a source-based nodejs provider? A Python
// KeyDeletionGuard, whose resource the ack-kms provider registers as its own
// ack-kms:index:KeyDeletionGuardResource, through `pulumi up` against the KMS emulator.
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { pythonBinary } from "../../scripts/toolchain/pythonVenv";
import { testAccessKey } from "../guard/harness";
import { repoRoot } from "../plan/support";
import { realEngineMissing, runRealEngine, toolchainBin } from "./support/realEngine";

const program = path.join(__dirname, "programs", "python-key-guard");

function missing(): string | undefined {
    return (
        realEngineMissing() ??
        (fs.existsSync(path.join(toolchainBin, "pulumi-language-python")) &&
        fs.existsSync(pythonBinary) &&
        fs.existsSync(path.join(repoRoot, "lib", "provider", "index.js"))
            ? undefined
            : "the python host, virtualenv or compiled provider is missing (npm run toolchain, npm run build)")
    );
}

interface Emulated {
    endpoint: string;
    regionId: string;
    keyId: string;
}

function startEmulator(): Promise<{ child: ChildProcess; emulated: Emulated }> {
    const child = spawn(
        process.execPath,
        [
            "-r",
            "ts-node/register/transpile-only",
            path.join(__dirname, "support", "kmsEmulatorProcess.ts"),
        ],
        { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
    );
    return new Promise((resolve, reject) => {
        let text = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes("\n")) resolve({ child, emulated: JSON.parse(text.split("\n")[0]) });
        });
        child.on("exit", (code) => reject(new Error(`the KMS emulator exited (${code})`)));
    });
}

describe("python: custom resources served by the ack-kms provider under the real CLI", function () {
    const why = missing();
    let emulator: { child: ChildProcess; emulated: Emulated } | undefined;

    before(async function () {
        if (why) {
            console.log(`served-resource suite skipped: ${why}.`);
            this.skip();
        }
        this.timeout(60_000);
        emulator = await startEmulator();
    });
    after(() => {
        emulator?.child.kill("SIGTERM");
    });

    it("creates a Python KeyDeletionGuard's resource in the provider, which turns protection on", function () {
        this.timeout(600_000);
        const { endpoint, regionId, keyId } = emulator!.emulated;
        const outcome = runRealEngine(program, {
            mode: "update",
            config: [`keyId=${keyId}`, `regionId=${regionId}`, `endpoint=${endpoint}`],
            prepare: (copy) => {
                const file = path.join(copy, "Pulumi.yaml");
                const project = YAML.parse(fs.readFileSync(file, "utf8"));
                project.plugins.providers[0].path = path.join(repoRoot, "provider");
                fs.writeFileSync(file, YAML.stringify(project));
            },
            exportState: true,
            env: {
                PULUMI_PYTHON_CMD: pythonBinary,
                ALIBABA_CLOUD_ACCESS_KEY_ID: testAccessKey.accessKeyId,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: testAccessKey.accessKeySecret,
            },
        });
        assert.strictEqual(
            outcome.exitCode,
            0,
            `${outcome.errors.join(" | ")}\n${outcome.stderr.slice(0, 3000)}`,
        );
        const resources = outcome.deployment?.resources ?? [];
        const served = resources.find((r) => r.type === "ack-kms:index:KeyDeletionGuardResource");
        assert.ok(served, `no served guard in ${resources.map((r) => r.type).join(", ")}`);
        assert.ok(!resources.some((r) => r.type === "pulumi-nodejs:dynamic:Resource"));
        const outputs = served.outputs as Record<string, unknown>;
        assert.strictEqual(outputs.kmsKeyId, keyId);
        assert.strictEqual(outputs.deletionProtection, "Enabled");
        assert.match(
            String(outputs.protectionDescription),
            /Protected by ack-kms KeyDeletionGuard for: prod-cluster/,
        );
        const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
        assert.strictEqual(
            (stack?.outputs as Record<string, unknown>).protectionWasAlreadyOn,
            false,
        );
    });
});
