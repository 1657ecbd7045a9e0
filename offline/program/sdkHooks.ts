// Every hook of the program host into the Pulumi SDK's internals, in one place: the program's own
// copy of the SDK, its program runner with stand-ins for the two modules an offline run must not
// load, the TypeScript compiler from V8's code cache, and no stack trace per SDK promise. Each
// relies on how the locked SDK is written: test/plan/sdkHooks.spec.ts pins that, and fails when
// the SDK changes under a hook.
import Module from "module";
import * as path from "path";

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
// The SDK's runner and internal modules are JavaScript without types.

/** The program's own copy of the SDK: mocks must be set on the instance the program imports. */
export function sdkRootOf(programDirectory: string): string {
    let root: string;
    try {
        root = path.dirname(
            require.resolve("@pulumi/pulumi/package.json", { paths: [programDirectory] }),
        );
    } catch {
        root = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    }
    return root;
}

/** Requires an SDK module by its path in the SDK, or a package the SDK itself depends on. */
export function sdkLoader(root: string): (relative: string) => any {
    return (relative) =>
        relative.startsWith("google-protobuf/") || relative.startsWith("@grpc/")
            ? require(require.resolve(relative, { paths: [root] }))
            : require(path.join(root, relative));
}

/** Puts `exports` in the module cache as the SDK module at `relative`, so requiring it loads nothing. */
function standInFor(sdkRoot: string, relative: string, exports: unknown): void {
    const entry = require.resolve(path.join(sdkRoot, relative));
    const standIn = new Module(entry);
    standIn.filename = entry;
    standIn.loaded = true;
    standIn.exports = exports;
    require.cache[entry] = standIn;
}

/**
 * Loads the SDK's program runner (cmd/run/run.js) with stand-ins for two siblings. index.js is the
 * language host's command line: it parses argv and connects to a real engine as soon as it is
 * loaded; run.js reads one constant from it. tracing.js loads OpenTelemetry's SDK and exporters
 * (about 35 ms) to send spans to the engine's tracing endpoint, which an offline run has none of:
 * the stand-in hands out OpenTelemetry's own non-recording span.
 */
export function loadProgramRunner(
    sdkModule: (relative: string) => any,
    sdkRoot: string,
    { tracingStandIn }: { tracingStandIn: boolean } = { tracingStandIn: true },
): any {
    standInFor(sdkRoot, "cmd/run/index.js", {
        nodeJSProcessExitedAfterLoggingUserActionableMessage: 32,
    });
    if (tracingStandIn) {
        const otel = require(require.resolve("@opentelemetry/api", { paths: [sdkRoot] }));
        standInFor(sdkRoot, "cmd/run/tracing.js", {
            start: () => undefined,
            stop: () => undefined,
            newSpan: () => otel.trace.wrapSpanContext(otel.INVALID_SPAN_CONTEXT),
        });
    }
    return sdkModule("cmd/run/run");
}

/**
 * Loads the SDK's TypeScript compiler (the SDK and ts-node both load it; it is the largest module
 * a program loads) through v8-compile-cache-lib, as ts-node loads it when it comes first, so its
 * compiled code is reused from the previous run instead of compiled again: about 60 ms.
 */
export function loadTypeScriptCached(sdkRoot: string): void {
    let compiler: string;
    try {
        compiler = require.resolve("typescript", { paths: [sdkRoot] });
    } catch {
        return; // the SDK reports a missing compiler in its own words
    }
    let cache: { uninstall(): void } | undefined;
    try {
        cache = require("v8-compile-cache-lib").install();
    } catch {
        // no cache (read-only temp dir, other runtime): compile as usual
    }
    try {
        require(compiler);
    } finally {
        cache?.uninstall();
    }
}
/**
 * Stops the SDK's debuggablePromise (runtime/debuggable.js) from formatting a stack trace for every
 * promise it wraps, unless PULUMI_DEBUG_PROMISE_LEAKS is set. It stores `new Error().stack` on each
 * promise, and only the leak report printed with that variable set reads it. Formatting goes
 * through source-map-support (installed by ts-node), and it was most of a large program's time:
 * 25 of 44 s of CPU for 300 EncryptedClusters (bench/scale, clusters shape, 3,000 resources), where
 * the same program under `pulumi preview` pays it too. With the variable set, nothing changes.
 * Callers read `debuggable_1.debuggablePromise` at each call, so replacing the export reaches them.
 * Returns whether it was installed.
 */
export function skipUnreadPromiseStacks(sdkModule: (relative: string) => any): boolean {
    const debuggable = sdkModule("runtime/debuggable");
    const original = debuggable.debuggablePromise;
    if (debuggable.debugPromiseLeaks || typeof original !== "function") return false;
    debuggable.debuggablePromise = function debuggablePromise(this: unknown, ...args: unknown[]) {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original.apply(this, args);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    return true;
}
/* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
