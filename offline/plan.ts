// The whole of `ack-kms plan`: runs a Pulumi program offline under the SDK's mocks, runs policy packs
// on what it registered exactly as `pulumi preview --policy-pack` does, writes the report and the
// files asked for, and returns the verdict. cli/plan.ts only turns flags into these options.
// Exit codes: 0 no mandatory violation, 1 at least one, 2 the arguments, program or a pack failed.
import * as fs from "fs";
import * as path from "path";
import type { PolicyResource } from "./analyzer";
import { loadMocksFile, PlanMocks } from "./program/invokes";
import { loadStackReferences } from "./program/stackReferences";
import { defaultOrganization, PlanMode, ProgramRun, startProgram } from "./program/runProgram";
import type { ProgramProject } from "./program/project";
import { counted } from "./report/counted";
import type { FailureStage, PackRun, PlanReport, ReportFailure } from "./report/model";
import { writeFilesAtomically } from "./outputFiles";
import { checkArguments, parseDuration, readPolicyConfig } from "./planArguments";
import { defaultTimeout, PlanOptions } from "./planOptions";

export { PlanOutputError, writeFilesAtomically } from "./outputFiles";
export { parseDuration, PlanArgumentError } from "./planArguments";
export { defaultTimeout } from "./planOptions";
export type { PlanFormat, PlanOptions } from "./planOptions";

export const exitCodes = { passed: 0, mandatoryViolations: 1, failed: 2 } as const;

export interface PlanIo {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
}

export interface PlanOutcome {
    exitCode: number;
    report?: PlanReport;
    /** What the program registered, before policy remediations. */
    run?: ProgramRun;
}

/**
 * Errors whose message is meant for the user (matched by name: the analyzer loads lazily), with
 * the stage a failure document names.
 */
const expectedErrors = new Map<string, FailureStage>([
    ["PlanArgumentError", "arguments"],
    ["MocksFileError", "arguments"],
    ["StackReferenceError", "arguments"],
    ["ProgramProjectError", "project"],
    ["ProgramRunError", "program"],
    ["PolicyPackError", "policyPack"],
    ["StateFileError", "output"],
    ["PlanOutputError", "output"],
]);

/** What is known of the plan when it fails: the failure document carries it. */
interface PlanContext {
    project?: ProgramProject;
    mode?: PlanMode;
}

/**
 * Runs a plan and writes its output; never throws for the user's mistakes, returns exit code 2.
 * On exit 2, --format json and sarif still print a valid document that carries the failure.
 */
export async function plan(options: PlanOptions, io: PlanIo): Promise<PlanOutcome> {
    const context: PlanContext = {};
    try {
        return await planOrThrow(options, io, context);
    } catch (err) {
        const stage = err instanceof Error ? expectedErrors.get(err.name) : undefined;
        const message = err instanceof Error ? err.message : String(err);
        io.stderr(
            stage
                ? `ack-kms plan: ${message}\n`
                : `ack-kms plan failed unexpectedly: ${message}\n${err instanceof Error ? (err.stack ?? "") : ""}\n`,
        );
        writeFailureDocument(options, io, { stage: stage ?? "internal", message }, context);
        return { exitCode: exitCodes.failed };
    }
}

function writeFailureDocument(
    options: PlanOptions,
    io: PlanIo,
    failure: ReportFailure,
    context: PlanContext,
): void {
    if (options.format !== "json" && options.format !== "sarif") return;
    const { buildFailureReport } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("./report/model") as typeof import("./report/model");
    const report = buildFailureReport(failure, {
        project: context.project?.name,
        stack: context.project?.stack,
        mode: context.mode,
        rootDirectory: context.project?.rootDirectory,
    });
    if (options.format === "json") {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
        const { renderSarifFailure } =
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            require("./report/sarif") as typeof import("./report/sarif");
        io.stdout(
            `${JSON.stringify(renderSarifFailure(report, { toolVersion: packageVersion() }), null, 2)}\n`,
        );
    }
}

async function planOrThrow(
    options: PlanOptions,
    io: PlanIo,
    context: PlanContext,
): Promise<PlanOutcome> {
    const progress = options.quiet
        ? () => undefined
        : (message: string) => io.stderr(`${message}\n`);
    const mode = checkArguments(options);
    context.mode = mode;
    const timeoutText = options.timeout ?? defaultTimeout;
    const timeoutMs = parseDuration(timeoutText);
    const mocks: PlanMocks | undefined = options.mocks ? loadMocksFile(options.mocks) : undefined;
    const stackReferences = loadStackReferences(options.stackReference ?? []);
    const policyConfigs = options.policyConfig.map(readPolicyConfig);

    const started = Date.now();
    // The program's process starts first; the packs start while it runs, as the Pulumi CLI starts
    // analyzers before the program: each pack is configured meanwhile and waits for the resources.
    const { project, run: running } = startProgram({
        dir: options.programDir,
        stack: options.stack,
        config: options.config,
        tags: options.tag,
        stackReferences,
        mode,
        organization: options.organization,
        transpileOnly: options.transpileOnly,
        mocks,
        onProgress: progress,
        timeoutMs,
        timeoutText,
    });
    context.project = project;
    const packRuns = startPolicyPacks(options, project, mode, policyConfigs, running, progress, {
        timeoutMs,
        timeoutText,
    });
    // Loaded while the program runs: the report needs them only once it is done.
    const reports = reportModules();

    let run: ProgramRun;
    try {
        run = await running;
    } catch (err) {
        // The program's failure is the one to report; the packs are closed before it is.
        await packRuns?.result.catch(() => undefined);
        throw err;
    }
    if (!options.quiet && run.output.trim() !== "") {
        io.stderr(indent(run.output.trim(), "  | ") + "\n");
    }
    progress(
        `Program registered ${counted(run.registrations.length, "resource")} in ${seconds(run.durationMs)}.`,
    );

    const packs: PackRun[] = [];
    let resources: PolicyResource[] = run.resources;
    const notes: string[] = [];
    if (packRuns) {
        const analysis = await packRuns.result;
        resources = analysis.resources;
        for (const [index, result] of analysis.results.entries()) {
            packs.push({ directory: path.resolve(options.policyPack[index]), result });
            progress(
                `Policy pack ${result.pack.name}@${result.pack.version}: ${result.violations.length} violation(s) in ${seconds(Date.now() - packRuns.started)}.`,
            );
        }
        // Where plan cannot do what the engine does, the report says so.
        notes.push(
            "Policy packs judged each resource's inputs as the program registered them: plan runs no resource provider, so no provider Check (its defaults and normalization) was applied first, as pulumi preview applies it.",
        );
        if (analysis.stoppedAt) {
            notes.push(
                `The analysis stopped at ${analysis.stoppedAt}, the first resource with a mandatory violation, as pulumi up does: resources after it were not analyzed and stack policies did not run.`,
            );
        }
    }

    const { buildPlanReport, renderDot, renderSarif, renderSvg, buildStateFile, renderText } =
        reports;
    const report = buildPlanReport(run, packs, notes);
    for (const notice of report.notices) progress(`WARNING: ${notice.message}`);
    if (options.requireResources && report.notices.some((n) => n.id === "no-resources")) {
        report.failure = {
            stage: "gate",
            message:
                "[--require-resources] the program registered no resources besides the stack: the plan checked nothing.",
        };
        report.summary.passed = false;
        io.stderr(`ack-kms plan: ${report.failure.message}\n`);
    }

    // Every file is rendered and written to a temporary name first; only when all are written are
    // they renamed into place, so a failure leaves neither a half-written nor a partial set.
    const files: Array<{ option: string; file: string; content: string; what: string }> = [];
    if (options.graph) {
        const graph = options.graph.endsWith(".svg") ? await renderSvg(report) : renderDot(report);
        files.push({ option: "--graph", file: options.graph, content: graph, what: "graph" });
    }
    if (options.stateOut) {
        const planned = resources.map((r) => ({
            ...run.resources.find((original) => original.urn === r.urn),
            ...r,
        }));
        const state = buildStateFile(planned, `v${sdkVersion()}`);
        files.push({
            option: "--state-out",
            file: options.stateOut,
            content: `${JSON.stringify(state, null, 2)}\n`,
            what: "state file",
        });
    }
    writeFilesAtomically(files);
    for (const f of files) progress(`Wrote the ${f.what} to ${f.file}.`);

    if (options.format === "json") {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else if (options.format === "sarif") {
        io.stdout(
            `${JSON.stringify(renderSarif(report, { toolVersion: packageVersion() }), null, 2)}\n`,
        );
    } else {
        io.stdout(renderText(report));
    }
    progress(`Plan done in ${seconds(Date.now() - started)}.`);
    return {
        exitCode: report.failure
            ? exitCodes.failed
            : report.summary.passed
              ? exitCodes.passed
              : exitCodes.mandatoryViolations,
        report,
        run,
    };
}

/* eslint-disable @typescript-eslint/no-require-imports */
function reportModules() {
    return {
        ...(require("./report/graph") as typeof import("./report/graph")),
        ...(require("./report/model") as typeof import("./report/model")),
        ...(require("./report/sarif") as typeof import("./report/sarif")),
        ...(require("./report/state") as typeof import("./report/state")),
        ...(require("./report/text") as typeof import("./report/text")),
    };
}
/* eslint-enable @typescript-eslint/no-require-imports */

interface StartedPacks {
    started: number;
    result: Promise<import("./analyzer").PolicyPacksRun>;
}

/**
 * Starts every pack at once while the program runs, as the CLI starts analyzers before the
 * program; the analysis runs once the program's resources are known (offline/analyzer/run.ts
 * runPolicyPacks: the engine's order of Remediate and Analyze across packs).
 */
function startPolicyPacks(
    options: PlanOptions,
    project: ProgramProject,
    mode: PlanMode,
    policyConfigs: Array<Record<string, unknown>>,
    running: Promise<ProgramRun>,
    progress: (message: string) => void,
    limits: { timeoutMs: number; timeoutText: string },
): StartedPacks | undefined {
    if (options.policyPack.length === 0) {
        return undefined;
    }
    // Loaded only when a pack is given, once the program's process has started: the gRPC stack
    // costs a tenth of a second.
    const { runPolicyPacks } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("./analyzer") as typeof import("./analyzer");
    for (const packDir of options.policyPack) progress(`Starting policy pack ${packDir}...`);
    const result = runPolicyPacks(
        options.policyPack.map((packDir, index) => ({
            packDir: path.resolve(packDir),
            project: project.name,
            stack: project.stack,
            organization: options.organization ?? defaultOrganization,
            dryRun: mode === "preview",
            stackConfig: project.config,
            tags: project.tags,
            configSecretKeys: project.secretKeys,
            // Type-checking a TypeScript pack takes seconds; the CLI's limit is 120 s.
            startTimeoutMs: Math.min(limits.timeoutMs, 120_000),
            ...(policyConfigs[index] ? { policyConfig: policyConfigs[index] } : {}),
        })),
        handled(running.then((run) => run.resources)),
        limits,
    );
    return { started: Date.now(), result: handled(result) };
}

/**
 * The same promise, marked as handled: it is awaited later (or never, when a pack fails before it
 * needs it), and a rejection meanwhile must not count as unhandled and end the process.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return promise;
}

function indent(text: string, prefix: string): string {
    return text
        .split("\n")
        .map((line) => prefix + line)
        .join("\n");
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

/** The version of ack-kms, from its package.json (one level above cli/ or lib/cli/). */
export function packageVersion(): string {
    for (const candidate of ["../package.json", "../../package.json"]) {
        const file = path.join(__dirname, candidate);
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as {
                name?: string;
                version?: string;
            };
            if (pkg.name === "ack-kms" && pkg.version) return pkg.version;
        }
    }
    return "0.0.0";
}

function sdkVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}
