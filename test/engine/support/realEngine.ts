// Runs a program through the real Pulumi CLI that `npm run toolchain` builds (.toolchain/bin), on a
// local file backend in a scratch copy of the program, and reads the verdict from the CLI's own
// streaming JSON events. Nothing here reaches a network: plugins come from the toolchain's folder.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { engineEnv, toolchainBin } from "../../../scripts/toolchain/environment";
import { repoRoot } from "../../plan/support";

export { engineEnv, toolchainBin };
const pulumiBinary = path.join(toolchainBin, "pulumi");

/** Why the differential suite cannot run here, or undefined when it can. */
export function realEngineMissing(): string | undefined {
    if (!fs.existsSync(pulumiBinary)) {
        return "the real Pulumi CLI is not built (run `npm run toolchain`; it needs Go)";
    }
    return undefined;
}

/** One policy finding, in the shape both engines are compared in. */
export interface Finding {
    policy: string;
    level: string;
    urn: string;
    message: string;
}

export interface EngineOutcome {
    exitCode: number | null;
    findings: Finding[];
    /** Error diagnostics the engine printed (for failure messages). */
    errors: string[];
    stderr: string;
    /** Every resource the engine saw, by URN. */
    urns: string[];
    /** What the engine said of each resource before its step (preview and update). */
    resources: EngineResource[];
    /** `pulumi stack export` after the run, when asked for (RealRunOptions.exportState). */
    deployment?: { resources?: Array<Record<string, unknown>> };
}

/** A resource as the engine's resourcePreEvent describes it. */
export interface EngineResource {
    urn: string;
    type: string;
    parent?: string;
    protect: boolean;
}

export interface RealRunOptions {
    stack?: string;
    /** `key=value` pairs as `ack-kms plan --config` takes them. */
    config?: string[];
    policyPacks?: string[];
    policyPackConfigs?: string[];
    mode?: "preview" | "update";
    /** Extra CLI arguments. */
    args?: string[];
    /** `key=value` tags set on the stack with `pulumi stack tag set` before the run. */
    tags?: string[];
    /**
     * Programs of the same folder to deploy first (`pulumi up`), as `<folder name>/<stack>`: the
     * stacks the program reads with a StackReference, in the same backend.
     */
    deployFirst?: string[];
    env?: NodeJS.ProcessEnv;
    /** Changes the scratch copy of the program before the run (e.g. a plugin path). */
    prepare?: (programCopy: string) => void;
    /** Run `pulumi stack export` after the run and return the deployment. */
    exportState?: boolean;
}

const workRoot = path.join(repoRoot, ".toolchain", "work");

/**
 * A copy of the program's folder and its siblings (programs share modules and a tsconfig there),
 * so the CLI's writes to the stack file never touch the checked-in one. It stays inside the
 * repository, so `ack-kms` and the SDK resolve from its node_modules as for the original.
 */
function copyProgram(programDir: string): { scratch: string; programCopy: string } {
    fs.mkdirSync(workRoot, { recursive: true });
    const scratch = fs.mkdtempSync(path.join(workRoot, `${path.basename(programDir)}-`));
    fs.cpSync(path.dirname(programDir), scratch, { recursive: true });
    return { scratch, programCopy: path.join(scratch, path.basename(programDir)) };
}

function projectName(dir: string): string {
    const project = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
        name: string;
    };
    return project.name;
}

/** Writes `--config` pairs into the copy's stack file as `pulumi config set` would. */
function writeConfig(dir: string, stack: string, pairs: string[]): void {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = (fs.existsSync(file) ? YAML.parse(fs.readFileSync(file, "utf8")) : null) ?? {};
    doc.config = doc.config ?? {};
    const project = projectName(dir);
    for (const pair of pairs) {
        const at = pair.indexOf("=");
        const key = pair.slice(0, at);
        doc.config[key.includes(":") ? key : `${project}:${key}`] = pair.slice(at + 1);
    }
    fs.writeFileSync(file, YAML.stringify(doc));
}

/** `pulumi preview` (or `pulumi up`) of a copy of `programDir` with the given packs. */
export function runRealEngine(programDir: string, options: RealRunOptions = {}): EngineOutcome {
    const stack = options.stack ?? "dev";
    const { scratch, programCopy } = copyProgram(programDir);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-engine-"));
    fs.mkdirSync(path.join(home, "state"), { recursive: true });
    const env = engineEnv(home, options.env);
    const run = (args: string[], cwd = programCopy) =>
        spawnSync(pulumiBinary, args, {
            cwd,
            env,
            encoding: "utf8",
            timeout: 300_000,
            maxBuffer: 256 * 1024 * 1024,
        });
    try {
        const init = run(["stack", "init", stack, "--non-interactive"]);
        if (init.status !== 0) {
            throw new Error(`pulumi stack init failed: ${init.stderr}`);
        }
        writeConfig(programCopy, stack, options.config ?? []);
        options.prepare?.(programCopy);
        for (const tag of options.tags ?? []) {
            const at = tag.indexOf("=");
            const set = run(["stack", "tag", "set", tag.slice(0, at), tag.slice(at + 1)]);
            if (set.status !== 0) throw new Error(`pulumi stack tag set failed: ${set.stderr}`);
        }
        for (const entry of options.deployFirst ?? []) {
            const [folder, other] = entry.split("/");
            const dir = path.join(path.dirname(programCopy), folder);
            for (const args of [
                ["stack", "init", other, "--non-interactive"],
                ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", other],
            ]) {
                const step = run(args, dir);
                if (step.status !== 0)
                    throw new Error(`pulumi ${args[0]} in ${folder} failed: ${step.stderr}`);
            }
        }
        const args = [
            options.mode === "update" ? "up" : "preview",
            "--non-interactive",
            "--json",
            "--stack",
            stack,
            ...(options.mode === "update" ? ["--yes", "--skip-preview"] : []),
            ...(options.policyPacks ?? []).flatMap((p) => ["--policy-pack", p]),
            ...(options.policyPackConfigs ?? []).flatMap((c) => ["--policy-pack-config", c]),
            ...(options.args ?? []),
        ];
        const result = run(args);
        let deployment: EngineOutcome["deployment"];
        if (options.exportState) {
            const exported = run(["stack", "export", "--stack", stack]);
            if (exported.status !== 0) {
                throw new Error(`pulumi stack export failed: ${exported.stderr}`);
            }
            deployment = (
                JSON.parse(exported.stdout) as { deployment: EngineOutcome["deployment"] }
            ).deployment;
        }
        return {
            ...parseEvents(result.stdout ?? ""),
            exitCode: result.status,
            stderr: result.stderr ?? "",
            deployment,
        };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
        fs.rmSync(home, { recursive: true, force: true });
    }
}

/** Reads the CLI's streaming JSON engine events (one JSON object a line). */
export function parseEvents(
    stdout: string,
): Omit<EngineOutcome, "exitCode" | "stderr" | "deployment"> {
    const findings: Finding[] = [];
    const errors: string[] = [];
    const urns = new Set<string>();
    const resources = new Map<string, EngineResource>();
    for (const line of stdout.split("\n")) {
        if (!line.startsWith("{")) continue;
        let event: Record<string, Record<string, unknown> | undefined>;
        try {
            event = JSON.parse(line);
        } catch {
            continue;
        }
        const policy = event.policyEvent;
        if (policy) {
            findings.push({
                policy: String(policy.policyName),
                level: String(policy.enforcementLevel),
                urn: String(policy.resourceUrn ?? ""),
                message: String(policy.message).trim(),
            });
        }
        const diagnostic = event.diagnosticEvent;
        if (diagnostic && diagnostic.severity === "error") {
            errors.push(String(diagnostic.message).trim());
        }
        const pre = event.resourcePreEvent?.metadata as
            | { urn?: string; new?: { type?: string; parent?: string; protect?: boolean } }
            | undefined;
        if (pre?.urn) {
            urns.add(pre.urn);
            if (pre.new?.type) {
                resources.set(pre.urn, {
                    urn: pre.urn,
                    type: pre.new.type,
                    parent: pre.new.parent || undefined,
                    protect: pre.new.protect === true,
                });
            }
        }
    }
    return { findings, errors, urns: [...urns], resources: [...resources.values()] };
}
