// Runs a Pulumi program offline, in its own process, and returns what the engine would hand a
// policy pack's AnalyzeStack: every resource the program registered, with the root
// `pulumi:pulumi:Stack` and the default providers the engine adds.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fallbackRegion, mockAccountId, PlanMocks } from "./invokes";
import {
    HostMessage,
    HostRegistration,
    HostRequest,
    HostResult,
    transpileOnlyKey,
} from "./hostProtocol";
import { ProgramHostProcess } from "./hostProcess";
import { engineResources, PlannedResource } from "./engineResources";
import { loadProgramProject, ProgramProject } from "./project";
import { isOn } from "./speedMechanisms";

export type PlanMode = "preview" | "update";

/**
 * The organization a program and its packs see unless --organization names one: what the Pulumi
 * CLI gives them on a self-managed (file or object store) backend.
 */
export const defaultOrganization = "organization";

export { fallbackRegion } from "./invokes";

export interface RunProgramOptions {
    /** Folder holding Pulumi.yaml. */
    dir: string;
    /** Defaults to "dev". */
    stack?: string;
    /** `key=value` strings, as --config. */
    config?: string[];
    /** `key=value` stack tags (`--tag`). */
    tags?: string[];
    /** Outputs of the stacks the program references, by fully qualified name. */
    stackReferences?: Record<string, Record<string, unknown>>;
    /** Defaults to "preview". */
    mode?: PlanMode;
    /** Defaults to defaultOrganization. */
    organization?: string;
    /**
     * Compile the program's TypeScript without type-checking it (PULUMI_NODEJS_TRANSPILE_ONLY).
     * Unset: as the calling process's environment says, else type-checked, as the Pulumi CLI does.
     */
    transpileOnly?: boolean;
    mocks?: PlanMocks;
    /** Called with one line of progress at a time. */
    onProgress?: (message: string) => void;
    /** Stop the program's process and fail the run past this many milliseconds. Unset: no limit. */
    timeoutMs?: number;
    /** How --timeout was written, for the message (e.g. "10m"). */
    timeoutText?: string;
}

export interface ProgramRun {
    project: ProgramProject;
    mode: PlanMode;
    /** Engine order: the root stack first, each default provider before its first user. */
    resources: PlannedResource[];
    /** The raw registrations, in the order the program made them. */
    registrations: HostRegistration[];
    invokes: Array<{ token: string; answered: boolean }>;
    /** What the program printed (console and SDK log lines). */
    output: string;
    /** Things the user should know about this offline run (undecrypted secrets, missing stack file). */
    notes: string[];
    /** What the run left undone without failing it, as under the engine (outputs never resolved). */
    incomplete?: string;
    durationMs: number;
}

/** The program could not run or threw; the message says which and why. */
export class ProgramRunError extends Error {
    constructor(
        message: string,
        readonly output = "",
    ) {
        super(message);
        this.name = "ProgramRunError";
    }
}

export interface StartedProgram {
    /** The project as read from Pulumi.yaml, the stack file and --config. */
    project: ProgramProject;
    /** Settles when the program has run; rejects with a ProgramRunError when it failed. */
    run: Promise<ProgramRun>;
}

export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
    return startProgram(options).run;
}

/**
 * Starts the program's process, then reads the project while that process loads
 * the SDK, and sends it the request. Throws at once for a project that cannot be read.
 */
export function startProgram(options: RunProgramOptions): StartedProgram {
    const started = Date.now();
    const mode = options.mode ?? "preview";
    // The inspector hooks cost more than the rest of the host's start (bench/plan): a rerun gets them.
    const closureHooks = !isOn("closureHooksOnRerun");
    // No early start for a folder that is not there: reading the project says what is wrong.
    const early =
        isOn("earlyStart") && fs.existsSync(options.dir)
            ? new ProgramHostProcess({ sdkDirectory: path.resolve(options.dir), closureHooks }, [])
            : undefined;
    let project: ProgramProject;
    try {
        project = loadProgramProject(options.dir, {
            stack: options.stack ?? "dev",
            configOverrides: options.config,
            tags: options.tags,
        });
    } catch (err) {
        early?.kill();
        throw err;
    }
    const hostStart = { sdkDirectory: project.programDirectory, closureHooks };
    let host: ProgramHostProcess;
    if (early?.fits(hostStart, project.nodeArgs)) {
        host = early;
    } else {
        early?.kill();
        host = new ProgramHostProcess(hostStart, project.nodeArgs);
    }

    const stack = project.stack;
    const notes = projectNotes(project);
    const progress = options.onProgress ?? (() => undefined);
    progress(
        `Running ${shown(project.programDirectory)} ` +
            `(project ${project.name}, stack ${stack}, ${mode}) under the SDK mocks...`,
    );

    const region =
        project.config["alicloud:region"] ??
        process.env.ALIBABA_CLOUD_REGION ??
        process.env.ALICLOUD_REGION;
    if (!region) {
        notes.push(
            `The stack sets no alicloud:region: mock ARNs use ${fallbackRegion}. Set it in Pulumi.${stack}.yaml or with --config alicloud:region=<region>.`,
        );
    }
    let scratch: string;
    try {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-plan-"));
    } catch (err) {
        host.kill();
        throw err;
    }
    const request: HostRequest = {
        project: project.name,
        stack,
        organization: options.organization ?? defaultOrganization,
        dryRun: mode === "preview",
        programDirectory: project.programDirectory,
        entryPoint: project.entryPoint,
        resultFile: path.join(scratch, "result.json"),
        mocks: options.mocks ?? { invokes: {}, resources: {} },
        stackReferences: options.stackReferences ?? {},
        region: region ?? fallbackRegion,
        accountId: mockAccountId,
    };
    const message: HostMessage = {
        request,
        env: {
            ...hostEnvironment(project, request),
            ...(options.transpileOnly ? { [transpileOnlyKey]: "true" } : {}),
        },
    };
    host.send(message);

    let current = host;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout =
        options.timeoutMs === undefined
            ? undefined
            : new Promise<never>((_, reject) => {
                  timer = setTimeout(() => {
                      timedOut = true;
                      current.kill("SIGKILL");
                      reject(
                          new ProgramRunError(
                              `The program in ${shown(project.programDirectory)} did not finish within ${options.timeoutText ?? `${options.timeoutMs} ms`} (--timeout): its process was stopped. Look for a promise that never settles or a timer that keeps it running.`,
                          ),
                      );
                  }, options.timeoutMs);
              });
    timeout?.catch(() => undefined);
    const hostResultOf = async (h: ProgramHostProcess) => {
        current = h;
        const exited = hostResult(h, project, request);
        exited.catch(() => undefined);
        const settled = await (timeout ? Promise.race([exited, timeout]) : exited);
        // A host killed at the deadline may still settle first: the deadline's message wins.
        if (timedOut) await timeout;
        return settled;
    };

    const run = async (): Promise<ProgramRun> => {
        try {
            let { result, output } = await hostResultOf(host);
            if (!closureHooks && result.errors.some(isClosureSerializationError)) {
                // Again with the inspector hooks, so the message names the function's file and line.
                fs.rmSync(request.resultFile, { force: true });
                const withHooks = new ProgramHostProcess(
                    { ...hostStart, closureHooks: true },
                    project.nodeArgs,
                );
                withHooks.send(message);
                ({ result, output } = await hostResultOf(withHooks));
            }
            if (result.errors.length > 0) {
                throw new ProgramRunError(
                    `The program in ${shown(project.programDirectory)} failed: ${result.errors.join(" ")}`,
                    output,
                );
            }
            return {
                project,
                mode,
                resources: engineResources(result.registrations, project, request),
                registrations: result.registrations,
                invokes: result.invokes,
                output,
                notes,
                ...(result.incomplete ? { incomplete: result.incomplete } : {}),
                durationMs: Date.now() - started,
            };
        } finally {
            clearTimeout(timer);
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    };
    return { project, run: run() };
}

/** A folder as the user would type it: relative to the working directory when inside it. */
function shown(dir: string): string {
    const relative = path.relative(process.cwd(), dir);
    return relative === "" ? "." : relative.startsWith("..") ? dir : relative;
}

function projectNotes(project: ProgramProject): string[] {
    const notes: string[] = [];
    if (!project.stackFileFound) {
        notes.push(
            `No Pulumi.${project.stack}.yaml in ${project.rootDirectory}: the program runs with project config only.`,
        );
    }
    for (const key of project.undecryptedKeys) {
        notes.push(
            `Config ${key} is encrypted (secure:) and cannot be decrypted offline: the program gets a secret placeholder. Pass --config ${key}=<value> to plan with a real value.`,
        );
    }
    return notes;
}

async function hostResult(
    host: ProgramHostProcess,
    project: ProgramProject,
    request: HostRequest,
): Promise<{ result: HostResult; output: string }> {
    const { code, output, result } = await host.exited;
    if (result) {
        return { result, output };
    }
    if (!fs.existsSync(request.resultFile)) {
        throw new ProgramRunError(
            `The program in ${shown(project.programDirectory)} stopped (exit code ${code}) before ack-kms plan could read what it registered: ${lastLines(output)}`,
            output,
        );
    }
    return {
        result: JSON.parse(fs.readFileSync(request.resultFile, "utf8")) as HostResult,
        output,
    };
}

/** The SDK's message when it cannot serialize a closure (a dynamic provider's, for one). */
function isClosureSerializationError(message: string): boolean {
    return message.includes("Error serializing");
}

/** The environment the nodejs language host sets for a program. */
function hostEnvironment(project: ProgramProject, request: HostRequest): HostMessage["env"] {
    return {
        PULUMI_CONFIG: JSON.stringify(project.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(project.secretKeys),
        PULUMI_NODEJS_TYPESCRIPT: String(project.typescript),
        PULUMI_NODEJS_PROJECT: project.name,
        PULUMI_NODEJS_STACK: project.stack,
        PULUMI_NODEJS_DRY_RUN: String(request.dryRun),
        PULUMI_NODEJS_ORGANIZATION: request.organization,
        ...(project.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: project.tsconfig } : {}),
    };
}

function lastLines(output: string): string {
    const lines = output.trim().split("\n").filter(Boolean);
    return lines.length === 0 ? "(no output)" : lines.slice(-5).join(" ");
}
