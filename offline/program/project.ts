// Reads a Pulumi project the way the Pulumi CLI does before it starts the nodejs language host:
// Pulumi.yaml (name, runtime and its options, main, project config) and Pulumi.<stack>.yaml (stack
// config), then the command line's --config. Checked against pulumi/pulumi
// sdk/go/common/workspace/project.go and sdk/nodejs/cmd/pulumi-language-nodejs/main.go.
import * as fs from "fs";
import * as path from "path";
import type * as YamlModule from "yaml";

/** The value a `secure:` config entry gets offline, where the stack's secrets provider is out of reach. */
export const undecryptableSecretPlaceholder = "[secret: not decrypted offline]";

export interface ProgramProject {
    /** Folder holding Pulumi.yaml. */
    rootDirectory: string;
    name: string;
    /** Folder the program runs in (Pulumi.yaml's `main` when it is a folder, else its folder). */
    programDirectory: string;
    /** What the language host passes as the program: "." or a file relative to programDirectory. */
    entryPoint: string;
    /** runtime.options.typescript; the CLI's default is true. */
    typescript: boolean;
    /** runtime.options.tsconfig, relative to programDirectory. */
    tsconfig?: string;
    /** runtime.options.nodeargs, split as the language host splits them. */
    nodeArgs: string[];
    stack: string;
    /** Whether Pulumi.<stack>.yaml exists. */
    stackFileFound: boolean;
    /** "namespace:key" -> value, as the SDK reads PULUMI_CONFIG. */
    config: Record<string, string>;
    /** Keys whose values are secret. */
    secretKeys: string[];
    /** Secret keys that kept the offline placeholder (no --config value was given). */
    undecryptedKeys: string[];
    /**
     * The stack tags policy packs get in ConfigureStack: the CLI sends the tags the backend keeps
     * for the stack (pkg/backend/diy/state.go: `pulumi stack tag set`, and the project tags a
     * backend records after an update), none for a new stack. Plan has no backend: `--tag` gives them.
     */
    tags: Record<string, string>;
}

/** A project or its configuration cannot be read; the message says what to fix. */
export class ProgramProjectError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramProjectError";
    }
}

export interface LoadProjectOptions {
    stack: string;
    /** `key=value` strings from --config. */
    configOverrides?: string[];
    /** `--tag key=value` values. */
    tags?: string[];
}

export function loadProgramProject(dir: string, options: LoadProjectOptions): ProgramProject {
    const rootDirectory = path.resolve(dir);
    if (!fs.existsSync(rootDirectory) || !fs.statSync(rootDirectory).isDirectory()) {
        throw new ProgramProjectError(
            `[program-dir] "${dir}" is not a folder: give the folder that holds the program's Pulumi.yaml.`,
        );
    }
    const projectFile = path.join(rootDirectory, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        throw new ProgramProjectError(
            `[program-dir] "${dir}" has no Pulumi.yaml: give the folder of a Pulumi project (one holding Pulumi.yaml).`,
        );
    }
    const project = asRecord(readYaml(projectFile), projectFile);
    const name = project.name;
    if (typeof name !== "string" || name === "") {
        throw new ProgramProjectError(
            `[name] ${projectFile} has no project name: add "name: <project>".`,
        );
    }
    const runtime = readRuntime(project.runtime, projectFile);
    const { programDirectory, entryPoint } = resolveMain(rootDirectory, project.main, projectFile);

    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const undecrypted = new Set<string>();
    const assign = (key: string, value: unknown, source: string) => {
        const fullKey = qualifyKey(key, name);
        const { text, secure } = configText(value, fullKey, source);
        config[fullKey] = text;
        if (secure) {
            secretKeys.add(fullKey);
            undecrypted.add(fullKey);
        } else {
            undecrypted.delete(fullKey);
        }
    };

    // Project-level config: a plain value, or a declaration with `default` / `value`.
    for (const [key, declaration] of Object.entries(asRecord(project.config ?? {}, projectFile))) {
        if (isRecord(declaration) && ("default" in declaration || "value" in declaration)) {
            assign(key, declaration.value ?? declaration.default, projectFile);
            if (declaration.secret === true) {
                secretKeys.add(qualifyKey(key, name));
            }
        } else if (!isRecord(declaration) || !("type" in declaration)) {
            assign(key, declaration, projectFile);
        }
    }

    const stackConfigDir =
        typeof project.stackConfigDir === "string"
            ? path.resolve(rootDirectory, project.stackConfigDir)
            : rootDirectory;
    const stackFile = path.join(stackConfigDir, `Pulumi.${options.stack}.yaml`);
    const stackFileFound = fs.existsSync(stackFile);
    if (stackFileFound) {
        const stackSettings = asRecord(readYaml(stackFile) ?? {}, stackFile);
        for (const [key, value] of Object.entries(
            asRecord(stackSettings.config ?? {}, stackFile),
        )) {
            assign(key, value, stackFile);
        }
    }

    for (const override of options.configOverrides ?? []) {
        const at = override.indexOf("=");
        if (at <= 0) {
            throw new ProgramProjectError(
                `[--config] "${override}" is not key=value: write it as --config alicloud:region=cn-hangzhou.`,
            );
        }
        assign(override.slice(0, at), override.slice(at + 1), "--config");
    }

    const tags: Record<string, string> = {};
    for (const tag of options.tags ?? []) {
        const at = tag.indexOf("=");
        if (at <= 0) {
            throw new ProgramProjectError(
                `[--tag] "${tag}" is not key=value: write it as --tag owner=platform.`,
            );
        }
        tags[tag.slice(0, at)] = tag.slice(at + 1);
    }

    return {
        rootDirectory,
        name,
        programDirectory,
        entryPoint,
        typescript: runtime.typescript,
        tsconfig: runtime.tsconfig,
        nodeArgs: runtime.nodeArgs,
        stack: options.stack,
        stackFileFound,
        config,
        secretKeys: [...secretKeys].sort(),
        undecryptedKeys: [...undecrypted].sort(),
        tags,
    };
}

/** Config of one package namespace with the namespace removed, as the engine gives a default provider. */
export function packageConfig(
    config: Record<string, string>,
    pkg: string,
): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith(`${pkg}:`)) {
            result[key.slice(pkg.length + 1)] = value;
        }
    }
    return result;
}

function readRuntime(
    runtime: unknown,
    file: string,
): { typescript: boolean; tsconfig?: string; nodeArgs: string[] } {
    const runtimeName = isRecord(runtime) ? runtime.name : runtime;
    if (runtimeName !== "nodejs") {
        throw new ProgramProjectError(
            `[runtime] ${JSON.stringify(runtimeName ?? null)} in ${file} is not supported: ack-kms plan runs nodejs programs only.`,
        );
    }
    const options = isRecord(runtime) && isRecord(runtime.options) ? runtime.options : {};
    const typescript = options.typescript === undefined ? true : truthy(options.typescript);
    const tsconfig = typeof options.tsconfig === "string" ? options.tsconfig : undefined;
    const nodeArgs =
        typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
    return { typescript, tsconfig, nodeArgs };
}

function resolveMain(
    rootDirectory: string,
    main: unknown,
    file: string,
): { programDirectory: string; entryPoint: string } {
    if (main === undefined || main === null || main === "") {
        return { programDirectory: rootDirectory, entryPoint: "." };
    }
    if (typeof main !== "string") {
        throw new ProgramProjectError(
            `[main] in ${file} must be a path, not ${JSON.stringify(main)}.`,
        );
    }
    const target = path.resolve(rootDirectory, main);
    if (!fs.existsSync(target)) {
        throw new ProgramProjectError(
            `[main] "${main}" in ${file} does not exist: point it at the program's folder or file.`,
        );
    }
    if (fs.statSync(target).isDirectory()) {
        return { programDirectory: target, entryPoint: "." };
    }
    return { programDirectory: path.dirname(target), entryPoint: path.basename(target) };
}

function qualifyKey(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Config values as the CLI hands them to the program: strings, structured values as JSON. */
function configText(
    value: unknown,
    key: string,
    source: string,
): { text: string; secure: boolean } {
    if (typeof value === "string") {
        return { text: value, secure: false };
    }
    if (typeof value === "number" || typeof value === "boolean") {
        return { text: String(value), secure: false };
    }
    if (value === null || value === undefined) {
        return { text: "", secure: false };
    }
    if (isRecord(value) && Object.keys(value).length === 1 && typeof value.secure === "string") {
        return { text: undecryptableSecretPlaceholder, secure: true };
    }
    if (typeof value === "object") {
        let secure = false;
        const plain = JSON.parse(JSON.stringify(value), (_k, v: unknown) => {
            if (isRecord(v) && Object.keys(v).length === 1 && typeof v.secure === "string") {
                secure = true;
                return undecryptableSecretPlaceholder;
            }
            return v;
        }) as unknown;
        return { text: JSON.stringify(plain), secure };
    }
    throw new ProgramProjectError(`[${key}] in ${source} has a value that config cannot hold.`);
}

function readYaml(file: string): unknown {
    // Loaded here, not on import: plan starts the program's process first, and the parser's 15 ms
    // then overlap with that process starting.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require("yaml") as typeof YamlModule;
    try {
        return YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new ProgramProjectError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
}

function asRecord(value: unknown, file: string): Record<string, unknown> {
    if (!isRecord(value)) {
        throw new ProgramProjectError(`${file} must hold a YAML mapping.`);
    }
    return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function truthy(value: unknown): boolean {
    return value === true || value === "true";
}
