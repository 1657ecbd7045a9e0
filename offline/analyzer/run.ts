// The engine's analysis of one deployment with started packs (pkg/resource/deploy/step_generator.go,
// analyze_snapshot.go): per resource every pack's Remediate then Analyze, then AnalyzeStack once.

import {
    AnalyzerInfo,
    PolicyPackError,
    PolicyPackOptions,
    PolicyPackStartOptions,
    PolicyRemediation,
    PolicyResource,
    PolicyRunResult,
    PolicyViolation,
} from "./model";
import { PolicyPackProcess } from "./packProcess";

/**
 * One pack's Remediate on one resource: a remediation's properties replace the inputs; its
 * diagnostic is an advisory violation, as the engine reports it. Returns the resource after it.
 */
async function remediateWith(
    pack: PolicyPackProcess,
    info: AnalyzerInfo,
    resource: PolicyResource,
    sink: { remediations: PolicyRemediation[]; violations: PolicyViolation[] },
): Promise<PolicyResource> {
    let current = resource;
    for (const remediation of await pack.remediate(current)) {
        sink.remediations.push(remediation);
        if (remediation.diagnostic) {
            sink.violations.push({
                policyPackName: remediation.policyPackName,
                policyPackVersion: info.version,
                policyName: remediation.policyName,
                description: remediation.description,
                message: remediation.diagnostic,
                enforcementLevel: "advisory",
                urn: resource.urn,
            });
        } else if (remediation.properties) {
            current = { ...current, properties: remediation.properties };
        }
    }
    return current;
}

/** The pack as a run's result names it. */
function packSummary(info: AnalyzerInfo): PolicyRunResult["pack"] {
    return {
        name: info.name,
        version: info.version,
        ...(info.displayName ? { displayName: info.displayName } : {}),
        policies: info.policies.map((p) => ({
            name: p.name,
            description: p.description,
            enforcementLevel: p.enforcementLevel,
            ...(p.configSchema ? { configSchema: p.configSchema } : {}),
        })),
    };
}

/** What one pass of the CLI's analysis over a deployment produced. */
export interface PolicyAnalysis {
    remediations: PolicyRemediation[];
    violations: PolicyViolation[];
    resources: PolicyResource[];
}

/**
 * The CLI's analysis of one deployment with a started, configured pack: per resource Remediate then
 * Analyze, then AnalyzeStack once. A remediation's properties replace the inputs (and the outputs
 * given to AnalyzeStack when none were given); a remediation's diagnostic is reported as an
 * advisory violation, as the engine reports it.
 */
export async function analyzeWithPack(
    pack: PolicyPackProcess,
    resources: PolicyResource[],
): Promise<PolicyAnalysis> {
    const info = await pack.getAnalyzerInfo();
    const remediations: PolicyRemediation[] = [];
    const violations: PolicyViolation[] = [];
    const after: PolicyResource[] = [];
    for (const resource of resources) {
        const { resource: current, sinks } = await analyzeResource([pack], [info], resource);
        remediations.push(...sinks[0].remediations);
        violations.push(...sinks[0].violations);
        after.push(current);
    }
    violations.push(...(await pack.analyzeStack(after)));
    return { remediations, violations, resources: after };
}

/**
 * The CLI's whole sequence: start, GetAnalyzerInfo, Configure (schema defaults, then policyConfig;
 * validated as the CLI does), per resource Remediate then Analyze, AnalyzeStack once, close.
 * `resources` may be a promise (the program still running): as the CLI does, the pack starts and
 * is configured meanwhile; if the promise rejects, the pack is closed and the rejection returned.
 */
export async function runPolicyPack(
    options: PolicyPackOptions,
    resources: PolicyResource[] | Promise<PolicyResource[]>,
): Promise<PolicyRunResult> {
    const pack = await PolicyPackProcess.start(options);
    try {
        const info = await pack.getAnalyzerInfo();
        await pack.configure();
        const analysis = await analyzeWithPack(pack, await resources);
        return { pack: packSummary(info), ...analysis };
    } finally {
        await pack.close();
    }
}

/** Analyze calls in flight at once in preview: past 32 the packs gain nothing on 2 cores. */
const analysisWindow = 32;

/** One resource after every pack's Remediate and Analyze: per pack, what it reported. */
interface ResourceAnalysis {
    resource: PolicyResource;
    sinks: Array<{ remediations: PolicyRemediation[]; violations: PolicyViolation[] }>;
}

/**
 * One resource through the engine's chain: every pack's Remediate in pack order (each sees the
 * inputs the one before left), then every pack's Analyze on the final inputs. A read resource
 * reaches no pack.
 */
async function analyzeResource(
    packs: PolicyPackProcess[],
    infos: AnalyzerInfo[],
    resource: PolicyResource,
): Promise<ResourceAnalysis> {
    const sinks = packs.map(() => ({
        remediations: [] as PolicyRemediation[],
        violations: [] as PolicyViolation[],
    }));
    if ((resource as { external?: boolean }).external) return { resource, sinks };
    let current = resource;
    for (const [i, pack] of packs.entries()) {
        current = await remediateWith(pack, infos[i], current, sinks[i]);
    }
    const analyzed = await Promise.all(packs.map((p) => p.analyze(current)));
    for (const [i, violations] of analyzed.entries()) {
        for (const v of violations) sinks[i].violations.push({ ...v, urn: v.urn ?? current.urn });
    }
    return { resource: current, sinks };
}

/** The same promise, its rejection marked as handled: it is awaited in turn, later. */
function handledLater<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return promise;
}

/** What the engine's analysis of one deployment with several packs produced. */
export interface PolicyPacksRun {
    /** One per pack, in the order given: its info, remediations and violations. */
    results: PolicyRunResult[];
    /** The resources after every pack's remediations. */
    resources: PolicyResource[];
    /**
     * Update mode only: the first resource with a mandatory violation. The engine bails there (the
     * step generator's "resource ... is invalid"): later resources are not analyzed and
     * AnalyzeStack does not run.
     */
    stoppedAt?: string;
}

/**
 * The engine's sequence with several packs (pkg/resource/deploy/step_generator.go): for each
 * resource in registration order, every pack's Remediate in pack order (each sees the inputs the
 * one before left), then every pack's Analyze on the final inputs. Then every pack's AnalyzeStack
 * once, over every managed resource. Resources read with `Resource.get` reach no pack at all: not
 * Analyze, Remediate nor AnalyzeStack. A stack violation whose URN is missing or not in the stack goes to the root stack
 * (resolveStackPolicyViolationURN). In update mode the run stops at the first resource with a
 * mandatory violation.
 */
export async function runPolicyPacks(
    optionsList: PolicyPackStartOptions[],
    resources: PolicyResource[] | Promise<PolicyResource[]>,
    limits: PolicyPackLimits = {},
): Promise<PolicyPacksRun> {
    const started = await Promise.allSettled(optionsList.map((o) => PolicyPackProcess.start(o)));
    const packs = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    let timer: NodeJS.Timeout | undefined;
    // Set once the run is over (a pack that failed to start ends it before the resources arrive).
    let finished = false;
    const abortAll = (error: Error) => packs.forEach((pack) => pack.abort(error));
    if (limits.timeoutMs !== undefined) {
        const timeoutMs = limits.timeoutMs;
        // Each pack gets the time limit once the program's resources are there: waiting for the
        // program is the program's time. A program that fails ends the packs at once.
        Promise.resolve(resources).then(
            () => {
                if (finished) return;
                timer = setTimeout(() => abortAll(packTimeoutError(packs, limits)), timeoutMs);
            },
            (err: unknown) => abortAll(err instanceof Error ? err : new Error(String(err))),
        );
    }
    try {
        const failed = started.find((s) => s.status === "rejected");
        if (failed) throw (failed as PromiseRejectedResult).reason;
        const infos = await Promise.all(packs.map((p) => p.getAnalyzerInfo()));
        await Promise.all(packs.map((p) => p.configure()));
        const results: PolicyRunResult[] = infos.map((info) => ({
            pack: packSummary(info),
            remediations: [],
            violations: [],
            resources: [],
        }));
        const all = await resources;
        const dryRun = optionsList[0]?.dryRun ?? true;
        const after: PolicyResource[] = [];
        let stoppedAt: string | undefined;
        // Each resource's chain (every pack's Remediate, then every Analyze) waits on the packs'
        // answers, so one resource at a time leaves both processes idle most of the time. In
        // preview up to `analysisWindow` chains are in flight, and their outcomes are taken in
        // registration order, so every list comes out as the one-at-a-time run makes it. In
        // update mode the run stops at the first mandatory violation and no later resource may
        // reach a pack (the engine's order), so it stays one at a time.
        const window = dryRun ? analysisWindow : 1;
        const inFlight: Array<Promise<ResourceAnalysis>> = [];
        let next = 0;
        const launch = () => {
            while (inFlight.length < window && next < all.length) {
                inFlight.push(handledLater(analyzeResource(packs, infos, all[next++])));
            }
        };
        launch();
        while (inFlight.length > 0) {
            const outcome = await (inFlight.shift() as Promise<ResourceAnalysis>);
            launch();
            let mandatory = false;
            for (const [i, sink] of outcome.sinks.entries()) {
                results[i].remediations.push(...sink.remediations);
                results[i].violations.push(...sink.violations);
                mandatory ||= sink.violations.some(
                    (v) => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate",
                );
            }
            after.push(outcome.resource);
            if (mandatory && !dryRun) {
                stoppedAt = outcome.resource.urn;
                break;
            }
        }
        const finals = new Map(after.map((r) => [r.urn, r]));
        const remediated = all.map((r) => finals.get(r.urn) ?? r);
        for (const result of results) result.resources = remediated;
        if (stoppedAt === undefined) {
            const urns = new Set(remediated.map((r) => r.urn));
            const root = remediated.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent)?.urn;
            // Read resources are kept apart from the deployment's resources (step_executor.go:
            // `reads`, not `news`), and AnalyzeStack ranges over `news` only.
            const managed = remediated.filter((r) => !(r as { external?: boolean }).external);
            const stackViolations = await Promise.all(packs.map((p) => p.analyzeStack(managed)));
            for (const [i, violations] of stackViolations.entries()) {
                for (const v of violations) {
                    const urn = v.urn && urns.has(v.urn) ? v.urn : root;
                    results[i].violations.push({ ...v, ...(urn ? { urn } : {}) });
                }
            }
        }
        return { results, resources: remediated, ...(stoppedAt ? { stoppedAt } : {}) };
    } finally {
        finished = true;
        clearTimeout(timer);
        await Promise.all(packs.map((p) => p.close()));
    }
}

export interface PolicyPackLimits {
    /** Stop every pack and fail past this many milliseconds after the resources arrive. */
    timeoutMs?: number;
    /** How the limit was written, for the message (e.g. "10m"). */
    timeoutText?: string;
}

function packTimeoutError(packs: PolicyPackProcess[], limits: PolicyPackLimits): PolicyPackError {
    const limit = `${limits.timeoutText ?? `${limits.timeoutMs} ms`} (--timeout)`;
    const hung = packs.filter((pack) => pack.waitingFor !== undefined);
    if (hung.length === 0) {
        return new PolicyPackError(
            `the policy packs did not finish within ${limit}: their processes were stopped.`,
        );
    }
    return new PolicyPackError(
        hung
            .map(
                (pack) =>
                    `policy pack "${pack.options.packDir}" did not answer ${pack.waitingFor} within ${limit}: its process was stopped.`,
            )
            .join("\n"),
    );
}
