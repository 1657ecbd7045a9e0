// The program host's speed mechanisms, each kept because bench/plan measures what it saves: the
// bench switches them off one at a time with ACK_KMS_PLAN_WITHOUT=<name>[,<name>] and compares the
// runs with plan as shipped (bench/plan/mechanisms.ts). None of them changes what plan reports:
// test/plan/speedMechanisms.spec.ts plans the same program with each one off and compares reports.

/**
 * Each mechanism, what it does, and where, with what bench/plan measured it saves (2 cores, quiet,
 * 2026-12-02; medians of 21 runs on the reference stack, plan as shipped 0.69 s, and of 7 runs on
 * 100 EncryptedClusters, 2.24 s; the two copies of the baseline differed by 10 and 19 ms).
 * Each pays on both programs, so each is kept.
 */
export const speedMechanisms = {
    /**
     * runProgram.ts: the program's process starts before the project is read, loading the SDK
     * meanwhile. Saves 26 ms (3.7%) on the reference stack, 101 ms (4.5%) on 100 clusters.
     */
    earlyStart: "start the program's process before reading the project",
    /**
     * resultDelivery.ts, hostProcess.ts: the result comes over IPC before the process has torn down
     * its heap. Saves 21 ms (3.1%) on the reference stack, 184 ms (8.2%) on 100 clusters.
     */
    resultOverIpc: "send the result over IPC instead of at exit through the file",
    /**
     * sdkHooks.ts: a stand-in for the SDK runner's tracing module, which loads OpenTelemetry's SDK
     * and exporters. Saves 92 ms (13%) on the reference stack, 257 ms (11%) on 100 clusters.
     */
    tracingStandIn: "leave OpenTelemetry's SDK unloaded (no tracing endpoint offline)",
    /**
     * sdkHooks.ts: the TypeScript compiler comes from V8's code cache, as ts-node loads it.
     * Saves 87 ms (13%) on the reference stack, 362 ms (16%) on 100 clusters.
     */
    typeScriptCodeCache: "load the TypeScript compiler from V8's code cache",
    /**
     * runProgram.ts: the inspector hooks start only to rerun a program that hit a closure
     * serialization error. Saves 404 ms (58%) on the reference stack, 846 ms (38%) on 100 clusters.
     */
    closureHooksOnRerun: "start the v8 inspector hooks only to rerun a closure serialization error",
    /**
     * sdkHooks.ts: no stack trace formatted per SDK promise unless PULUMI_DEBUG_PROMISE_LEAKS is
     * set. Saves 284 ms (41%) on the reference stack, 5.5 s (71%: 7.77 s without it) on 100 clusters.
     */
    unreadPromiseStacksSkipped: "format no stack trace per SDK promise for the leak report",
} as const;

export type SpeedMechanism = keyof typeof speedMechanisms;

export const withoutKey = "ACK_KMS_PLAN_WITHOUT";

/**
 * The mechanisms switched off in `env`. A name that is not a mechanism is an error, so a typo in a
 * benchmark cannot measure plan as shipped under another name.
 */
export function switchedOff(env: NodeJS.ProcessEnv = process.env): ReadonlySet<SpeedMechanism> {
    const names = (env[withoutKey] ?? "")
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);
    const unknown = names.filter((name) => !(name in speedMechanisms));
    if (unknown.length > 0) {
        throw new Error(
            `${withoutKey}: ${unknown.map((name) => JSON.stringify(name)).join(", ")} ${unknown.length === 1 ? "is" : "are"} not a speed mechanism of the program host; the names are ${Object.keys(speedMechanisms).join(", ")}.`,
        );
    }
    return new Set(names as SpeedMechanism[]);
}

/** Whether `mechanism` is on (the default; bench/plan switches them off to measure each). */
export function isOn(mechanism: SpeedMechanism, env: NodeJS.ProcessEnv = process.env): boolean {
    return !switchedOff(env).has(mechanism);
}
