// The program's process: started before the project is read, then given the request over IPC;
// replaced when Pulumi.yaml asks for node flags; rerun with the inspector hooks when the SDK
// cannot serialize a closure, so the error names the file and line.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProgramRunError, runProgram } from "../../offline/program/runProgram";
import { ProgramHostProcess } from "../../offline/program/hostProcess";
import { fixture, repoRoot } from "./support";

describe("plan: the program's process", function () {
    // Each case starts one or two node processes on a shared two-core machine.
    this.timeout(120_000);

    it("starts with Pulumi.yaml's nodeargs and gets the stack's config", async () => {
        const run = await runProgram({ dir: fixture("plan-host-options") });
        const outputs = run.registrations[0].outputs;
        assert.ok(
            (outputs.execArgv as string[]).includes("--max-old-space-size=1234"),
            JSON.stringify(outputs.execArgv),
        );
        assert.strictEqual(outputs.greeting, "hello from the stack file");
        assert.strictEqual(outputs.tracingSdkLoaded, false, "no tracing exporter offline");
    });

    it("gives the program the organization of a self-managed backend, or --organization's", async () => {
        const run = await runProgram({ dir: fixture("plan-host-options") });
        assert.strictEqual(run.registrations[0].outputs.organization, "organization");
        const named = await runProgram({ dir: fixture("plan-host-options"), organization: "acme" });
        assert.strictEqual(named.registrations[0].outputs.organization, "acme");
    });

    it("keeps the language host's variables of the calling process away from the program", async () => {
        // Inherited, this would make the SDK's runner look for a tsconfig file that is not there.
        const saved = process.env.PULUMI_NODEJS_TSCONFIG_PATH;
        process.env.PULUMI_NODEJS_TSCONFIG_PATH = "tsconfig.of-the-calling-process.json";
        try {
            const run = await runProgram({ dir: fixture("plan-host-options") });
            assert.strictEqual(run.registrations[0].outputs.greeting, "hello from the stack file");
        } finally {
            if (saved === undefined) delete process.env.PULUMI_NODEJS_TSCONFIG_PATH;
            else process.env.PULUMI_NODEJS_TSCONFIG_PATH = saved;
        }
    });

    it("type-checks TypeScript as the CLI does, unless transpileOnly (--transpile-only)", async () => {
        const saved = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        try {
            await assert.rejects(runProgram({ dir: fixture("plan-type-error") }), (err: Error) => {
                assert.match(err.message, /TS2322/);
                return true;
            });
            const run = await runProgram({ dir: fixture("plan-type-error"), transpileOnly: true });
            assert.strictEqual(run.registrations[0].outputs.replicaCount, "three");
        } finally {
            if (saved !== undefined) process.env.PULUMI_NODEJS_TRANSPILE_ONLY = saved;
        }
    });

    it("fails a program that ends with a registration still waiting, as the SDK fails a deployment", async () => {
        await assert.rejects(runProgram({ dir: fixture("plan-leaked-promise") }), (err: Error) => {
            assert.ok(err instanceof ProgramRunError);
            assert.match(err.message, /resource\nregistrations could complete/);
            assert.match(err.message, /"thing" \[test:index:Thing\] was waiting for .*"value"/);
            return true;
        });
    });

    it("reruns a program whose closure cannot be serialized, so the error names its line", async () => {
        await assert.rejects(runProgram({ dir: fixture("plan-closure-error") }), (err: Error) => {
            assert.ok(err instanceof ProgramRunError);
            assert.match(err.message, /Error serializing/);
            // index.js line 7 is the provider's create method: only the inspector hooks know it.
            assert.match(err.message, /function 'create': index\.js\(7,\d+\)/);
            return true;
        });
    });

    it("names no line without the inspector hooks, which is why plan reruns", async () => {
        const dir = fixture("plan-closure-error");
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-host-"));
        try {
            const host = new ProgramHostProcess({ sdkDirectory: dir, closureHooks: false }, []);
            const resultFile = path.join(scratch, "result.json");
            host.send({
                request: {
                    project: "plan-closure-error",
                    stack: "dev",
                    organization: "organization",
                    dryRun: true,
                    programDirectory: dir,
                    entryPoint: "index.js",
                    resultFile,
                    mocks: { invokes: {}, resources: {} },
                    stackReferences: {},
                    region: "cn-hangzhou",
                    accountId: "1234567890123456",
                },
                env: { PULUMI_NODEJS_TYPESCRIPT: "false" },
            });
            const exit = await host.exited;
            // The result comes over IPC when the program ends normally.
            assert.ok(exit.result, exit.output);
            const message = exit.result.errors.join(" ");
            assert.match(message, /Error serializing/);
            assert.doesNotMatch(message, /index\.js\(7,/);
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });

    it("reports the end of a host stopped before its request (a project that cannot be read)", async () => {
        const host = new ProgramHostProcess(
            { sdkDirectory: fixture("plan-basic"), closureHooks: false },
            [],
        );
        host.kill();
        const exit = await host.exited;
        assert.notStrictEqual(exit.code, 0);
    });
});

describe("plan: the examples import the package by name", () => {
    const resolveFrom = (conditions: string[]) =>
        spawnSync(
            process.execPath,
            [
                ...conditions,
                "-p",
                `require.resolve("ack-kms", { paths: [${JSON.stringify(path.join(repoRoot, "examples/new-cluster"))}] })`,
            ],
            { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
        ).stdout.trim();

    it("gets the compiled lib/ by default, as a stack that installed ack-kms does", () => {
        assert.strictEqual(resolveFrom([]), path.join(repoRoot, "lib/components/index.js"));
    });

    it("gets the source under the ack-kms-source condition, which the tests run with", () => {
        assert.strictEqual(
            resolveFrom(["--conditions=ack-kms-source"]),
            path.join(repoRoot, "components/index.ts"),
        );
        assert.ok(
            (process.env.NODE_OPTIONS ?? "").includes("--conditions=ack-kms-source"),
            "processes started by tests resolve ack-kms to the source too",
        );
    });
});
