// `ack-kms plan`: runs a Pulumi program offline under the SDK's mocks, runs policy packs on what it
// registered exactly as `pulumi preview --policy-pack` does, and reports the plan and the verdict.
// Exit codes: 0 no mandatory violation, 1 at least one, 2 the arguments, program or a pack failed.
import { Command } from "commander";
import * as fs from "fs";
import * as path from "path";
import type { PolicyResource } from "../offline/analyzer";
import { loadMocksFile, PlanMocks } from "../offline/invokes";
import { loadStackReferences } from "../offline/stackReferences";
import { defaultOrganization, PlanMode, ProgramRun, startProgram } from "../offline/program";
import type { ProgramProject } from "../offline/programProject";
import type { FailureStage, PackRun, PlanReport, ReportFailure } from "../offline/report/model";

export const exitCodes = { passed: 0, mandatoryViolations: 1, failed: 2 } as const;

export type PlanFormat = "text" | "json" | "sarif";

export interface PlanOptions {
    programDir: string;
    stack: string;
    config: string[];
    policyPack: string[];
    policyConfig: string[];
    /** undefined: preview, or update when --state-out is given. */
    mode?: PlanMode;
    format: PlanFormat;
    graph?: string;
    stateOut?: string;
    quiet: boolean;
    mocks?: string;
    /** Compile the program's TypeScript without type-checking it. */
    transpileOnly?: boolean;
    organization?: string;
    /** `key=value` stack tags sent to policy packs, as a backend sends the stack's tags. */
    tag?: string[];
    /** `org/project/stack=outputs.json`: what a StackReference to that stack reads. */
    stackReference?: string[];
    /** How long the program, and each pack once the resources are known, may run: "90s", "10m". */
    timeout?: string;
    /** Fail (exit 2) when the program registers no resource besides the stack. */
    requireResources?: boolean;
}

/** --timeout when none is given. */
export const defaultTimeout = "10m";

export interface PlanIo {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
}

/** A command-line argument is wrong; the message names it, its value and what is allowed. */
export class PlanArgumentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanArgumentError";
    }
}

export interface PlanOutcome {
    exitCode: number;
    report?: PlanReport;
    /** What the program registered, before policy remediations. */
    run?: ProgramRun;
}

/** An output file cannot be written; the message is one line naming the option and the file. */
export class PlanOutputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanOutputError";
    }
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
        require("../offline/report/model") as typeof import("../offline/report/model");
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
            require("../offline/report/sarif") as typeof import("../offline/report/sarif");
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
        `Program registered ${run.registrations.length} resources in ${seconds(run.durationMs)}.`,
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

/**
 * Writes each file to a temporary name beside it, then renames them all into place. Any error
 * removes the temporary files and throws one line naming the option and the file.
 */
export function writeFilesAtomically(
    files: Array<{ option: string; file: string; content: string }>,
): void {
    const written: string[] = [];
    try {
        for (const f of files) {
            const temporary = path.join(
                path.dirname(path.resolve(f.file)),
                `.${path.basename(f.file)}.${process.pid}.tmp`,
            );
            try {
                fs.writeFileSync(temporary, f.content, { flag: "wx" });
            } catch (e) {
                throw new PlanOutputError(`[${f.option}] cannot write "${f.file}": ${reason(e)}.`);
            }
            written.push(temporary);
        }
        files.forEach((f, index) => {
            try {
                fs.renameSync(written[index], f.file);
            } catch (e) {
                throw new PlanOutputError(`[${f.option}] cannot write "${f.file}": ${reason(e)}.`);
            }
        });
    } finally {
        for (const temporary of written) fs.rmSync(temporary, { force: true });
    }
}

function reason(e: unknown): string {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === "ENOENT") return "its folder does not exist";
    if (err?.code === "EACCES" || err?.code === "EPERM") return "permission denied";
    if (err?.code === "EISDIR") return "it is a folder";
    if (err?.code === "ENOSPC") return "no space left on the device";
    return err?.code ?? String((e as Error)?.message ?? e);
}

/** A duration such as 90s, 10m, 1h or 500ms, in milliseconds. */
export function parseDuration(text: string): number {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
    const value = match
        ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as "ms"]
        : NaN;
    if (!match || !(value > 0) || value > 2_147_483_647) {
        throw new PlanArgumentError(
            `[--timeout] "${text}" is not a duration: use e.g. 90s or 10m (ms, s, m or h; more than 0, at most 24 days).`,
        );
    }
    return Math.round(value);
}

/* eslint-disable @typescript-eslint/no-require-imports */
function reportModules() {
    return {
        ...(require("../offline/report/graph") as typeof import("../offline/report/graph")),
        ...(require("../offline/report/model") as typeof import("../offline/report/model")),
        ...(require("../offline/report/sarif") as typeof import("../offline/report/sarif")),
        ...(require("../offline/report/state") as typeof import("../offline/report/state")),
        ...(require("../offline/report/text") as typeof import("../offline/report/text")),
    };
}
/* eslint-enable @typescript-eslint/no-require-imports */

interface StartedPacks {
    started: number;
    result: Promise<import("../offline/analyzer").PolicyPacksRun>;
}

/**
 * Starts every pack at once while the program runs, as the CLI starts analyzers before the
 * program; the analysis runs once the program's resources are known (offline/analyzer.ts
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
        require("../offline/analyzer") as typeof import("../offline/analyzer");
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

function checkArguments(options: PlanOptions): PlanMode {
    if (options.mode !== undefined && options.mode !== "preview" && options.mode !== "update") {
        throw new PlanArgumentError(
            `[--mode] "${String(options.mode)}" is not a mode: use preview (ids and outputs unknown, as pulumi preview) or update (mock ids and outputs).`,
        );
    }
    if (!["text", "json", "sarif"].includes(options.format)) {
        throw new PlanArgumentError(
            `[--format] "${options.format}" is not a format: use text, json or sarif.`,
        );
    }
    if (options.graph && !/\.(svg|dot)$/.test(options.graph)) {
        throw new PlanArgumentError(
            `[--graph] "${options.graph}" must end in .svg (rendered) or .dot (Graphviz source).`,
        );
    }
    for (const [option, file] of [
        ["--graph", options.graph],
        ["--state-out", options.stateOut],
    ] as const) {
        if (file && isProgramFile(options.programDir, file)) {
            throw new PlanArgumentError(
                `[${option}] "${file}" is one of the program's own files (Pulumi.yaml, stack config, source, package or TypeScript config): write it elsewhere.`,
            );
        }
    }
    if (
        options.graph &&
        options.stateOut &&
        path.resolve(options.graph) === path.resolve(options.stateOut)
    ) {
        throw new PlanArgumentError(
            `[--state-out] "${options.stateOut}" is also the --graph file: give two different files.`,
        );
    }
    if (options.stateOut && options.mode === "preview") {
        throw new PlanArgumentError(
            `[--state-out] cannot be used with --mode preview: a state file records ids and outputs, which are unknown in a preview. Use --mode update or leave --mode out.`,
        );
    }
    for (const packDir of options.policyPack) {
        if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
            throw new PlanArgumentError(
                `[--policy-pack] "${packDir}" has no PulumiPolicy.yaml: give the folder of a policy pack.`,
            );
        }
    }
    if (
        options.policyConfig.length > 0 &&
        options.policyConfig.length !== options.policyPack.length
    ) {
        throw new PlanArgumentError(
            `[--policy-config] ${options.policyConfig.length} file(s) for ${options.policyPack.length} --policy-pack folder(s): give one config file per pack, in the same order, as pulumi preview --policy-pack-config does.`,
        );
    }
    return options.mode ?? (options.stateOut ? "update" : "preview");
}

/** Files of the program an output must never replace: its project, config, code and packages. */
function isProgramFile(programDir: string, file: string): boolean {
    const target = path.resolve(file);
    const root = path.resolve(programDir);
    const relative = path.relative(root, target);
    if (relative.startsWith("..") || path.isAbsolute(relative)) return false;
    if (relative === "" || (fs.existsSync(target) && fs.statSync(target).isDirectory()))
        return true;
    if (relative.split(path.sep).includes("node_modules")) return true;
    const base = path.basename(target);
    return (
        /^Pulumi(\..+)?\.ya?ml$/.test(base) ||
        [
            "package.json",
            "package-lock.json",
            "tsconfig.json",
            "yarn.lock",
            "pnpm-lock.yaml",
        ].includes(base) ||
        /\.([cm]?[jt]s|tsx|jsx)$/.test(base)
    );
}

function readPolicyConfig(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new PlanArgumentError(
            `[--policy-config] "${file}" cannot be read: give a JSON file.`,
        );
    }
    let content: unknown;
    try {
        content = JSON.parse(text);
    } catch (e) {
        throw new PlanArgumentError(
            `[--policy-config] "${file}" is not valid JSON: ${(e as Error).message}.`,
        );
    }
    if (typeof content !== "object" || content === null || Array.isArray(content)) {
        throw new PlanArgumentError(
            `[--policy-config] "${file}" must hold a JSON object mapping policy names (or "all") to a level or settings.`,
        );
    }
    return content as Record<string, unknown>;
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

function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
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

export function planCommand(): Command {
    return new Command("plan")
        .description(
            "Preview a Pulumi program offline (no cloud account, no Pulumi CLI) and run policy packs on it.",
        )
        .argument("[program-dir]", "folder holding the program's Pulumi.yaml", ".")
        .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config is used", "dev")
        .option("-c, --config <key=value>", "set a config value (repeatable)", collect, [])
        .option("--policy-pack <dir>", "run this policy pack (repeatable)", collect, [])
        .option(
            "--policy-config <file>",
            "JSON config for the policy pack at the same position (repeatable)",
            collect,
            [],
        )
        .option(
            "--mode <mode>",
            "preview: ids and outputs unknown; update: mock ids and outputs (default: preview, or update with --state-out)",
        )
        .option("--format <format>", "output on stdout: text, json or sarif", "text")
        .option("--graph <file>", "write a graph of resources and key bindings (.svg or .dot)")
        .option(
            "--state-out <file>",
            "write the planned stack as a Pulumi state file (update mode)",
        )
        .option(
            "--mocks <file>",
            "JSON or YAML results for data sources and outputs for resource types",
        )
        .option(
            "--organization <name>",
            `organization name the program and packs see (default: "${defaultOrganization}", as on a self-managed backend)`,
        )
        .option(
            "--transpile-only",
            "compile the program's TypeScript without type-checking it, as PULUMI_NODEJS_TRANSPILE_ONLY=true does (default: type-checked, as the Pulumi CLI does)",
        )
        .option(
            "--tag <key=value>",
            "a stack tag policy packs see, as `pulumi stack tag set` keeps it (repeatable); pulumi:project, pulumi:runtime and pulumi:description come from Pulumi.yaml",
            collect,
            [],
        )
        .option(
            "--stack-reference <stack=file>",
            "outputs of a stack the program reads with StackReference, as `pulumi stack output --json` prints them (repeatable)",
            collect,
            [],
        )
        .option(
            "--timeout <duration>",
            `how long the program, and each policy pack once the resources are known, may run before plan stops it and exits 2 (e.g. 90s, 10m; default: ${defaultTimeout})`,
        )
        .option(
            "--require-resources",
            "exit 2 when the program registers no resource besides the stack, so a CI gate that checked nothing fails",
        )
        .option("-q, --quiet", "no progress on stderr", false)
        .action(async (programDir: string, flags: Omit<PlanOptions, "programDir">) => {
            const outcome = await plan(
                { ...flags, programDir },
                {
                    stdout: (text) => process.stdout.write(text),
                    stderr: (text) => process.stderr.write(text),
                },
            );
            process.exitCode = outcome.exitCode;
        });
}
