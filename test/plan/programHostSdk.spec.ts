// The program host's hooks into the Pulumi SDK's internals (offline/programHostSdk.ts): each relies
// on how the locked SDK is written, so each is pinned here and fails when the SDK changes under it.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
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
            const { sdkLoader, skipUnreadPromiseStacks } = require("./offline/programHostSdk");
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
});
