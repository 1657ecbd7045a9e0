// The program host's hooks into the Pulumi SDK's internals (offline/program/sdkHooks.ts): each relies
// on how the locked SDK is written, so each is pinned here and fails when the SDK changes under it.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../..");
const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/** Runs `script` in a fresh node process (a fresh SDK), with ts-node for the host's sources. */
function inFreshProcess(script: string, env: NodeJS.ProcessEnv = {}): string {
    const result = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", "-e", script],
        { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" },
    );
    assert.strictEqual(result.status, 0, result.stderr);
    return result.stdout.trim();
}

describe("plan: the program host's SDK hooks", () => {
    describe("skipUnreadPromiseStacks", () => {
        it("targets what the SDK does: a stack per debuggable promise, read only by the leak report", () => {
            const source = fs.readFileSync(path.join(sdkRoot, "runtime/debuggable.js"), "utf8");
            assert.ok(
                source.includes(
                    "exports.debugPromiseLeaks = !!process.env.PULUMI_DEBUG_PROMISE_LEAKS;",
                ),
            );
            assert.match(
                source,
                /"_debugStackTrace", \{ writable: true, value: new Error\(\)\.stack \}/,
            );
            // Its only reader, promiseDebugString, is printed under `if (exports.debugPromiseLeaks)`.
            assert.strictEqual((source.match(/_debugStackTrace/g) ?? []).length, 2);
            assert.strictEqual((source.match(/promiseDebugString\(/g) ?? []).length, 2);
            assert.match(
                source,
                /if \(exports\.debugPromiseLeaks\) \{\s+for \(const leak of leaked\) \{\s+console\.error\("Promise leak detected:"\);\s+console\.error\(promiseDebugString\(leak\)\);/,
            );
            // Callers go through the module's exports at each call, so replacing the export reaches them.
            for (const file of [
                "runtime/resource.js",
                "runtime/settings.js",
                "runtime/callbacks.js",
            ]) {
                const caller = fs.readFileSync(path.join(sdkRoot, file), "utf8");
                assert.ok(caller.includes("debuggable_1.debuggablePromise("), file);
            }
        });

        const probe = `
            const { sdkLoader, skipUnreadPromiseStacks } = require("./offline/program/sdkHooks");
            const sdkModule = sdkLoader(${JSON.stringify(sdkRoot)});
            const installed = skipUnreadPromiseStacks(sdkModule);
            const debuggable = sdkModule("runtime/debuggable");
            const p = Promise.resolve(1);
            debuggable.debuggablePromise(p, "probe");
            console.log(JSON.stringify({ installed, frames: String(p._debugStackTrace).split("\\n").length, limit: Error.stackTraceLimit }));
        `;

        it("leaves no frames on the promise, and Error.stackTraceLimit as it was", () => {
            const out = JSON.parse(inFreshProcess(probe, { PULUMI_DEBUG_PROMISE_LEAKS: "" }));
            assert.deepStrictEqual(out, { installed: true, frames: 1, limit: 10 });
        });

        it("changes nothing with PULUMI_DEBUG_PROMISE_LEAKS set: the leak report prints the stacks", () => {
            const out = JSON.parse(inFreshProcess(probe, { PULUMI_DEBUG_PROMISE_LEAKS: "1" }));
            assert.strictEqual(out.installed, false);
            assert.ok(out.frames > 3, `${out.frames} frames`);
        });
    });

    describe("loadProgramRunner", () => {
        const runSource = () => fs.readFileSync(path.join(sdkRoot, "cmd/run/run.js"), "utf8");

        it("targets what run.js reads of its siblings: one constant of index.js, three functions of tracing.js", () => {
            const source = runSource();
            assert.ok(source.includes('const tracing = __importStar(require("./tracing"));'));
            assert.ok(source.includes('const mod = __importStar(require("."));'));
            // index.js: only the exit code, which the stand-in gives with the SDK's own value.
            assert.deepStrictEqual(
                [...new Set(source.match(/\bmod\.[A-Za-z]\w*/g))].filter(
                    (m) => m !== "mod.__esModule",
                ),
                ["mod.nodeJSProcessExitedAfterLoggingUserActionableMessage"],
            );
            const index = fs.readFileSync(path.join(sdkRoot, "cmd/run/index.js"), "utf8");
            assert.ok(
                index.includes(
                    "exports.nodeJSProcessExitedAfterLoggingUserActionableMessage = 32;",
                ),
            );
            // tracing.js: start and stop (only with a tracing endpoint) and newSpan.
            assert.deepStrictEqual([...new Set(source.match(/\btracing\.\w+/g))].sort(), [
                "tracing.newSpan",
                "tracing.start",
                "tracing.stop",
            ]);
            // Spans are only ended and annotated, which OpenTelemetry's non-recording span accepts.
            const spanCalls = new Set(source.match(/\b(?:span|rcSpan|runProgramSpan)\.\w+/g));
            for (const call of spanCalls) {
                assert.match(call, /\.(end|setAttribute|addEvent)$/, call);
            }
        });

        const probe = (tracingStandIn: boolean) => `
            const { loadProgramRunner, sdkLoader } = require("./offline/program/sdkHooks");
            const sdkRoot = ${JSON.stringify(sdkRoot)};
            const runner = loadProgramRunner(sdkLoader(sdkRoot), sdkRoot, { tracingStandIn: ${tracingStandIn} });
            const tracing = require(require.resolve(sdkRoot + "/cmd/run/tracing.js"));
            const span = tracing.newSpan("probe");
            span.setAttribute("a", 1); span.addEvent("b"); span.end();
            console.log(JSON.stringify({
                run: typeof runner.run,
                otelSdkLoaded: Object.keys(require.cache).some((f) => f.includes("@opentelemetry/sdk-trace-base")),
            }));
        `;

        it("gives the SDK's runner without loading OpenTelemetry's SDK or the language host's command line", () => {
            // The real index.js would parse argv and dial an engine at once: this process has none.
            const out = JSON.parse(inFreshProcess(probe(true)));
            assert.deepStrictEqual(out, { run: "function", otelSdkLoaded: false });
        });

        it("loads the real tracing module when bench/plan switches the stand-in off", () => {
            const out = JSON.parse(inFreshProcess(probe(false)));
            assert.deepStrictEqual(out, { run: "function", otelSdkLoaded: true });
        });
    });

    describe("loadTypeScriptCached", () => {
        it("loads the compiler as ts-node does, through v8-compile-cache-lib, which the lock provides", () => {
            const util = fs.readFileSync(
                path.join(path.dirname(require.resolve("ts-node/package.json")), "dist/util.js"),
                "utf8",
            );
            assert.ok(util.includes("require('v8-compile-cache-lib').install()"));
            // A dependency of ack-kms itself: the installed CLI must find it without ts-node's copy.
            const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
            assert.ok(manifest.dependencies["v8-compile-cache-lib"]);
        });

        it("leaves the SDK's compiler loaded, and the cache written for the next run", () => {
            const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-v8cc-"));
            try {
                const out = JSON.parse(
                    inFreshProcess(
                        `
                        const { loadTypeScriptCached } = require("./offline/program/sdkHooks");
                        loadTypeScriptCached(${JSON.stringify(sdkRoot)});
                        const compiler = require.resolve("typescript", { paths: [${JSON.stringify(sdkRoot)}] });
                        console.log(JSON.stringify({ loaded: compiler in require.cache }));
                        `,
                        { V8_COMPILE_CACHE_CACHE_DIR: cacheDir },
                    ),
                );
                assert.deepStrictEqual(out, { loaded: true });
                const written = fs.readdirSync(cacheDir, { recursive: true }) as string[];
                assert.ok(written.length > 0, "nothing written to the compile cache");
            } finally {
                fs.rmSync(cacheDir, { recursive: true, force: true });
            }
        });
    });
});
