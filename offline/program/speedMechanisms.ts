// The program host's speed mechanisms, each kept because bench/plan measures what it saves: the
// bench switches them off one at a time with ACK_KMS_PLAN_WITHOUT=<name>[,<name>] and compares the
// runs with plan as shipped (bench/plan/mechanisms.ts). None of them changes what plan reports:
// test/plan/speedMechanisms.spec.ts plans the same program with each one off and compares reports.

/** Each mechanism, what it does, and where. The gains are bench/plan's, written beside each. */
export const speedMechanisms = {
    /** runProgram.ts: the program's process starts before the project is read, loading the SDK meanwhile. */
    earlyStart: "start the program's process before reading the project",
    /** host.ts, hostProcess.ts: the result comes over IPC, before the process has torn down. */
    resultOverIpc: "send the result over IPC instead of at exit through the file",
    /** sdkHooks.ts: a stand-in for the SDK runner's tracing module, which loads OpenTelemetry's SDK. */
    tracingStandIn: "leave OpenTelemetry's SDK unloaded (no tracing endpoint offline)",
    /** sdkHooks.ts: the TypeScript compiler is loaded from V8's code cache. */
    typeScriptCodeCache: "load the TypeScript compiler from V8's code cache",
    /** runProgram.ts: the inspector hooks start only for a rerun after a closure serialization error. */
    closureHooksOnRerun: "start the v8 inspector hooks only to rerun a closure serialization error",
    /** sdkHooks.ts: no stack trace formatted per SDK promise unless PULUMI_DEBUG_PROMISE_LEAKS is set. */
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
