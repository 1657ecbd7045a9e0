// Plan's arguments, checked before anything runs: each wrong one named with its value and what is
// allowed (PlanArgumentError), and the --timeout and --policy-config values read.
import * as fs from "fs";
import * as path from "path";
import type { PlanOptions } from "./planOptions";
import type { PlanMode } from "./program/runProgram";

/** A command-line argument is wrong; the message names it, its value and what is allowed. */
export class PlanArgumentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanArgumentError";
    }
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

export function checkArguments(options: PlanOptions): PlanMode {
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

export function readPolicyConfig(file: string): Record<string, unknown> {
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
