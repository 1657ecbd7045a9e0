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
import type { PackRun, PlanReport } from "../offline/report/model";

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
}

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

/** Errors whose message is meant for the user (matched by name: the analyzer loads lazily). */
const expectedErrors = new Set([
    "PlanArgumentError",
    "ProgramProjectError",
    "ProgramRunError",
    "PolicyPackError",
    "MocksFileError",
    "StackReferenceError",
    "StateFileError",
]);

/** Runs a plan and writes its output; never throws for the user's mistakes, returns exit code 2. */
export async function plan(options: PlanOptions, io: PlanIo): Promise<PlanOutcome> {
    try {
        return await planOrThrow(options, io);
    } catch (err) {
        const expected = err instanceof Error && expectedErrors.has(err.name);
        const message = err instanceof Error ? err.message : String(err);
        io.stderr(
            expected
                ? `ack-kms plan: ${message}\n`
                : `ack-kms plan failed unexpectedly: ${message}\n${err instanceof Error ? (err.stack ?? "") : ""}\n`,
        );
        return { exitCode: exitCodes.failed };
    }
}

async function planOrThrow(options: PlanOptions, io: PlanIo): Promise<PlanOutcome> {
    const progress = options.quiet
        ? () => undefined
        : (message: string) => io.stderr(`${message}\n`);
    const mode = checkArguments(options);
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
    });
    const packRuns = startPolicyPacks(options, project, mode, policyConfigs, running, progress);
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
    if (options.format === "json") {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else if (options.format === "sarif") {
        io.stdout(
            `${JSON.stringify(renderSarif(report, { toolVersion: packageVersion() }), null, 2)}\n`,
        );
    } else {
        io.stdout(renderText(report));
    }
    if (options.graph) {
        const graph = options.graph.endsWith(".svg") ? await renderSvg(report) : renderDot(report);
        fs.writeFileSync(options.graph, graph);
        progress(`Wrote the graph to ${options.graph}.`);
    }
    if (options.stateOut) {
        const planned = resources.map((r) => ({
            ...run.resources.find((original) => original.urn === r.urn),
            ...r,
        }));
        const state = buildStateFile(planned, `v${sdkVersion()}`);
        fs.writeFileSync(options.stateOut, `${JSON.stringify(state, null, 2)}\n`);
        progress(`Wrote the state file to ${options.stateOut}.`);
    }
    progress(`Plan done in ${seconds(Date.now() - started)}.`);
    return {
        exitCode: report.summary.passed ? exitCodes.passed : exitCodes.mandatoryViolations,
        report,
        run,
    };
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
            ...(policyConfigs[index] ? { policyConfig: policyConfigs[index] } : {}),
        })),
        handled(running.then((run) => run.resources)),
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
