// Starts a policy pack exactly as the Pulumi CLI does (through the nodejs language host's RunPlugin)
// and drives its Analyzer gRPC service. Used by `ack-kms plan` and by the policy tests.
//
// Checked against pulumi/pulumi 1b59498: sdk/nodejs/cmd/pulumi-language-nodejs/main.go (RunPlugin),
// pkg/resource/plugin/analyzer_plugin.go, pkg/resource/analyzer/config.go, pkg/engine/update.go
// (loadPolicyPlugins), pkg/resource/deploy/step_generator.go and sdk/go/common/resource/plugin/rpc.go.

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type { Empty as EmptyType } from "google-protobuf/google/protobuf/empty_pb";
import * as YAML from "yaml";
import { parsePolicyConfigFile, reconcilePolicyConfig } from "./analyzerConfig";
import { EngineLogEntry, EngineLogServer } from "./analyzerEngine";
import { pulumiProtoRequire } from "./analyzerProto";
import {
    analyzeRequest,
    analyzerInfoFromWire,
    configureRequest,
    fromStruct,
    stackResource,
    violationsFromWire,
} from "./analyzerWire";

export type { EngineLogEntry } from "./analyzerEngine";

type Empty = EmptyType;
const { Empty } = pulumiProtoRequire(
    "google-protobuf/google/protobuf/empty_pb",
) as typeof import("google-protobuf/google/protobuf/empty_pb");

/** Engine encodings of values inside `properties`, re-exported for the analyzer's callers. */
export { secret, secretSignatureKey, secretSignatureValue, unknownSentinel } from "./engineValues";

export interface PolicyResource {
    urn: string;
    type: string;
    name: string;
    /** false for components */
    custom: boolean;
    /** inputs (engine encoding: unknown sentinel strings, secret objects) */
    properties: Record<string, unknown>;
    /** for AnalyzeStack; defaults to properties when absent */
    outputs?: Record<string, unknown>;
    id?: string;
    /** parent URN */
    parent?: string;
    /** URNs */
    dependencies: string[];
    /** property name -> URNs */
    propertyDependencies: Record<string, string[]>;
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace?: boolean;
    ignoreChanges?: string[];
    aliases?: string[];
    additionalSecretOutputs?: string[];
    customTimeouts?: { create?: string; update?: string; delete?: string };
    /** e.g. properties.region */
    provider?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
}

export interface PolicyPackOptions {
    /** folder holding PulumiPolicy.yaml */
    packDir: string;
    project: string;
    stack: string;
    organization?: string;
    /** true for preview */
    dryRun: boolean;
    /** "namespace:key" -> value, passed as PULUMI_CONFIG */
    stackConfig?: Record<string, string>;
    /** the user's policy config file content (CLI's --policy-pack-config) */
    policyConfig?: Record<string, unknown>;
    /** stack tags, as the CLI sends them in ConfigureStack */
    tags?: Record<string, string>;
    /** config keys whose values are secret */
    configSecretKeys?: string[];
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyViolation {
    policyPackName: string;
    policyPackVersion: string;
    policyName: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
}

export interface PolicyRemediation {
    policyPackName: string;
    policyName: string;
    urn: string;
    description: string;
    diagnostic?: string;
    properties?: Record<string, unknown>;
}

export interface PolicyInfo {
    name: string;
    displayName?: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** With `enforcementLevel` injected, as the CLI does when the pack supports config. */
    configSchema?: PolicyConfigSchema;
}

export interface PolicyConfigSchema {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    displayName?: string;
    description?: string;
    supportsConfig: boolean;
    /** sorted by name, as the CLI sorts them */
    policies: PolicyInfo[];
    initialConfig: Record<string, PolicyConfig>;
}

/** One policy's configuration as the CLI sends it in Configure. */
export interface PolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface PolicyRunResult {
    pack: {
        name: string;
        version: string;
        displayName?: string;
        policies: Array<{
            name: string;
            description: string;
            enforcementLevel: string;
            configSchema?: unknown;
        }>;
    };
    remediations: PolicyRemediation[];
    /** per-resource and stack violations together */
    violations: PolicyViolation[];
    /** the resources after remediation */
    resources: PolicyResource[];
}

/** A pack that failed to start, to configure or to answer. */
export class PolicyPackError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyPackError";
    }
}

/** Options beyond the CLI's, for tests and tools. */
export interface PolicyPackStartOptions extends PolicyPackOptions {
    /** How long the pack may take to print its port; type-checking a TypeScript pack is slow. Defaults to 120 s. */
    startTimeoutMs?: number;
}

interface PolicyProject {
    runtime: string;
    options: Record<string, unknown>;
    version?: string;
    description?: string;
}

function readPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new PolicyPackError(
            `[packDir] "${packDir}" is not a policy pack: it has no PulumiPolicy.yaml.`,
        );
    }
    let parsed: unknown;
    try {
        parsed = YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PolicyPackError(
            `failed to load Pulumi policy project located at "${packDir}": ${(e as Error).message}`,
        );
    }
    const project = (parsed ?? {}) as Record<string, unknown>;
    const runtime = project.runtime;
    const runtimeName =
        typeof runtime === "string"
            ? runtime
            : runtime && typeof runtime === "object"
              ? (runtime as Record<string, unknown>).name
              : undefined;
    if (typeof runtimeName !== "string" || runtimeName === "") {
        throw new PolicyPackError(
            `failed to load Pulumi policy project located at "${packDir}": runtime is required.`,
        );
    }
    if (runtimeName !== "nodejs") {
        throw new PolicyPackError(
            `[packDir] "${packDir}" has runtime "${runtimeName}": only nodejs policy packs run offline.`,
        );
    }
    const options =
        runtime && typeof runtime === "object"
            ? (((runtime as Record<string, unknown>).options ?? {}) as Record<string, unknown>)
            : {};
    return {
        runtime: runtimeName,
        options,
        version: typeof project.version === "string" ? project.version : undefined,
        description: typeof project.description === "string" ? project.description : undefined,
    };
}

/** The language host's environment for the pack (RunPlugin: runtime options, then ConfigureStack's values). */
function packEnvironment(options: PolicyPackOptions, project: PolicyProject): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // A parent test or tool may run under ts-node or a Pulumi program of its own; the pack must
    // start as it would under the CLI, with only the values below.
    for (const key of Object.keys(env)) {
        if (
            key.startsWith("PULUMI_NODEJS_") ||
            key === "PULUMI_CONFIG" ||
            key.startsWith("TS_NODE_")
        ) {
            delete env[key];
        }
    }
    const typescript = project.options.typescript;
    if (typescript !== undefined && typeof typescript !== "boolean") {
        throw new PolicyPackError("typescript option must be a boolean");
    }
    if (typescript !== false) {
        env.PULUMI_NODEJS_TYPESCRIPT = "true";
    }
    const tsconfig = project.options.tsconfig;
    if (tsconfig !== undefined && typeof tsconfig !== "string") {
        throw new PolicyPackError("tsconfigpath option must be a string");
    }
    if (tsconfig) {
        env.PULUMI_NODEJS_TSCONFIG_PATH = tsconfig;
    }
    const setIfPresent = (key: string, value: string | undefined): void => {
        if (value) {
            env[key] = value;
        }
    };
    setIfPresent("PULUMI_NODEJS_ORGANIZATION", options.organization);
    setIfPresent("PULUMI_NODEJS_PROJECT", options.project);
    setIfPresent("PULUMI_NODEJS_STACK", options.stack);
    env.PULUMI_NODEJS_DRY_RUN = String(options.dryRun);
    if (options.stackConfig && Object.keys(options.stackConfig).length > 0) {
        env.PULUMI_CONFIG = JSON.stringify(options.stackConfig);
    }
    return env;
}

function resolveRunPolicyPack(packDir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
        // The CLI's wording (pkg/resource/plugin/analyzer_plugin.go, errRunPolicyModuleNotFound).
        throw new PolicyPackError(
            `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${packDir}"`,
        );
    }
}

type Unary<Req, Res> = (
    request: Req,
    callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

/** A started pack; close() always. Errors (pack failed to start, bad config) throw PolicyPackError with a clear message. */
export class PolicyPackProcess {
    /** Log messages from the pack: Engine Log calls and the lines it printed after its port. */
    readonly logs: EngineLogEntry[];
    private info?: AnalyzerInfo;
    private exited = false;
    /**
     * The calls waiting for the pack's answer, oldest first, e.g. `Analyze of <urn>`: in preview
     * several Analyze calls are in flight at once (runPolicyPacks).
     */
    private readonly pendingCalls = new Map<number, string>();
    private nextCallId = 0;
    private abortedWith?: Error;
    /**
     * How to reject each call still waiting when the pack is aborted. A listener per call, removed
     * when it is answered: a race against one long-lived promise would keep every call's
     * reaction (and its answer) alive until the pack closes, 20,000 of them on a large stack.
     */
    private readonly abortListeners = new Set<(error: Error) => void>();

    private constructor(
        readonly options: PolicyPackOptions,
        private readonly project: PolicyProject,
        private readonly child: ChildProcess,
        private readonly client: analyzerGrpc.AnalyzerClient,
        private readonly engine: EngineLogServer,
        private readonly exit: Promise<void>,
    ) {
        this.logs = engine.logs;
    }

    /** The oldest call this pack has not answered yet, if any. */
    get waitingFor(): string | undefined {
        return this.pendingCalls.values().next().value;
    }

    /**
     * Stops the pack at once (SIGKILL): a call waiting for it rejects with `error`, and close()
     * no longer asks it to cancel.
     */
    abort(error: Error): void {
        if (this.abortedWith) return;
        this.abortedWith = error;
        this.child.kill("SIGKILL");
        for (const reject of this.abortListeners) reject(error);
        this.abortListeners.clear();
    }

    /** The pack's process id, e.g. to read its CPU time. */
    get pid(): number | undefined {
        return this.child.pid;
    }

    static async start(options: PolicyPackStartOptions): Promise<PolicyPackProcess> {
        const packDir = path.resolve(options.packDir);
        if (!fs.existsSync(packDir) || !fs.statSync(packDir).isDirectory()) {
            throw new PolicyPackError(
                `[packDir] "${options.packDir}" does not exist or is not a folder.`,
            );
        }
        const project = readPolicyProject(packDir);
        const runPolicyPack = resolveRunPolicyPack(packDir);
        const env = packEnvironment(options, project);
        const nodeargs = project.options.nodeargs;
        const args = [
            runPolicyPack,
            ...(typeof nodeargs === "string" && nodeargs.trim()
                ? nodeargs.trim().split(/\s+/)
                : []),
        ];

        const logs: EngineLogEntry[] = [];
        const engine = await EngineLogServer.start(logs);
        const child = spawn(process.execPath, [...args, engine.address, packDir], {
            cwd: packDir,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const stderr: string[] = [];
        let exitCode: number | null = null;
        const exit = new Promise<void>((resolve) => {
            // "close" comes after the output streams ended, so stderr is complete by then.
            child.once("close", (code, signal) => {
                exitCode = code ?? (signal ? 128 : null);
                resolve();
            });
            child.once("error", (error) => {
                stderr.push(error.message);
                resolve();
            });
        });
        readLines(child.stderr!, (line) => {
            stderr.push(line);
            logs.push({ severity: "error", message: line, source: "stderr" });
        });
        let port: number | undefined;
        const portLine = new Promise<number>((resolve, reject) => {
            readLines(child.stdout!, (line) => {
                if (port === undefined) {
                    port = Number(line.trim());
                    if (!Number.isInteger(port) || port <= 0) {
                        reject(
                            new PolicyPackError(
                                `policy pack "${packDir}" printed "${line}" where its port was expected: nothing may be printed before the PolicyPack is built.`,
                            ),
                        );
                    } else {
                        resolve(port);
                    }
                } else {
                    logs.push({ severity: "info", message: line, source: "stdout" });
                }
            });
            void exit.then(() =>
                reject(
                    new PolicyPackError(
                        `policy pack "${packDir}" exited with code ${String(exitCode)} before it printed its port` +
                            (stderr.length > 0 ? `:\n${plainText(stderr)}` : "."),
                    ),
                ),
            );
        });
        const timeoutMs = options.startTimeoutMs ?? 120_000;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () =>
                    reject(
                        new PolicyPackError(
                            `policy pack "${packDir}" did not print its port within ${timeoutMs} ms` +
                                (stderr.length > 0 ? `:\n${plainText(stderr)}` : "."),
                        ),
                    ),
                timeoutMs,
            );
        });
        let listening: number;
        try {
            listening = await Promise.race([portLine, timeout]);
        } catch (e) {
            child.kill();
            await exit;
            await engine.close();
            throw e;
        } finally {
            clearTimeout(timer);
        }

        const client = new analyzerGrpc.AnalyzerClient(
            `127.0.0.1:${listening}`,
            grpc.credentials.createInsecure(),
            // The CLI's policy proxy dials the pack with gRPC's default 4 MiB receive limit (sdk/policy_proxy.go).
            { "grpc.max_receive_message_length": 4 * 1024 * 1024 },
        );
        const pack = new PolicyPackProcess(
            { ...options, packDir },
            project,
            child,
            client,
            engine,
            exit,
        );
        void exit.then(() => {
            pack.exited = true;
        });
        try {
            await pack.configureStack();
            await pack.getPluginInfo();
        } catch (e) {
            await pack.close();
            throw e;
        }
        return pack;
    }

    private call<Req, Res>(
        method: string,
        fn: Unary<Req, Res>,
        request: Req,
        about?: string,
    ): Promise<Res> {
        if (this.abortedWith) return Promise.reject(this.abortedWith);
        const id = this.nextCallId++;
        this.pendingCalls.set(id, about ? `${method} of ${about}` : method);
        return new Promise<Res>((resolve, reject) => {
            const onAbort = (error: Error) => {
                this.pendingCalls.delete(id);
                reject(error);
            };
            this.abortListeners.add(onAbort);
            const settled = () => {
                this.abortListeners.delete(onAbort);
                this.pendingCalls.delete(id);
            };
            fn.call(this.client, request, (error, response) => {
                settled();
                if (error) {
                    const stderr = this.logs
                        .filter((l) => l.source === "stderr")
                        .map((l) => l.message)
                        .join("\n");
                    reject(
                        Object.assign(
                            new PolicyPackError(
                                `policy pack "${this.options.packDir}" failed in ${method}: ${error.details || error.message}` +
                                    (this.exited && stderr ? `\n${plainText([stderr])}` : ""),
                            ),
                            { code: error.code },
                        ),
                    );
                } else {
                    resolve(response);
                }
            });
        });
    }

    /** ConfigureStack, as the CLI sends it right after start; a pack without it is fine. */
    private async configureStack(): Promise<void> {
        const request = new analyzerPb.AnalyzerStackConfigureRequest();
        request.setStack(this.options.stack);
        request.setProject(this.options.project);
        request.setOrganization(this.options.organization ?? "");
        request.setDryRun(this.options.dryRun);
        const config = request.getConfigMap();
        for (const [key, value] of Object.entries(this.options.stackConfig ?? {})) {
            config.set(key, value);
        }
        request.setConfigSecretKeysList(this.options.configSecretKeys ?? []);
        const tags = request.getTagsMap();
        for (const [key, value] of Object.entries(this.options.tags ?? {})) {
            tags.set(key, value);
        }
        try {
            await this.call("ConfigureStack", this.client.configureStack, request);
        } catch (e) {
            if ((e as { code?: number }).code !== grpc.status.UNIMPLEMENTED) {
                throw e;
            }
        }
    }

    async getPluginInfo(): Promise<{ version: string }> {
        const response = await this.call<Empty, pluginPb.PluginInfo>(
            "GetPluginInfo",
            this.client.getPluginInfo,
            new Empty(),
        );
        return { version: response.getVersion() };
    }

    /** The pack's metadata, cached as the CLI caches it. */
    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        if (!this.info) {
            const response = await this.call<Empty, analyzerPb.AnalyzerInfo>(
                "GetAnalyzerInfo",
                this.client.getAnalyzerInfo,
                new Empty(),
            );
            this.info = analyzerInfoFromWire(response, this.project);
        }
        return this.info;
    }

    /**
     * Reconciles and validates config as the CLI does (schema defaults, the pack's initial config,
     * then `policyConfig`, by default the one given at start), then sends it. Returns what was sent.
     */
    async configure(
        policyConfig: Record<string, unknown> | undefined = this.options.policyConfig,
    ): Promise<Record<string, PolicyConfig>> {
        const info = await this.getAnalyzerInfo();
        if (!info.supportsConfig) {
            if (policyConfig) {
                throw new PolicyPackError(
                    `policy pack "${info.name}" at "${this.options.packDir}" does not support config`,
                );
            }
            return {};
        }
        let parsed;
        try {
            parsed = parsePolicyConfigFile(policyConfig ?? {});
        } catch (e) {
            throw new PolicyPackError((e as Error).message);
        }
        const { config, errors } = reconcilePolicyConfig(info, parsed);
        if (errors.length > 0) {
            throw new PolicyPackError(errors.join("\n"));
        }
        if (Object.keys(config).length > 0) {
            await this.call("Configure", this.client.configure, configureRequest(config));
            for (const policy of info.policies) {
                policy.enforcementLevel =
                    config[policy.name]?.enforcementLevel ?? policy.enforcementLevel;
            }
        }
        return config;
    }

    async remediate(r: PolicyResource): Promise<PolicyRemediation[]> {
        const response = await this.call<analyzerPb.AnalyzeRequest, analyzerPb.RemediateResponse>(
            "Remediate",
            this.client.remediate,
            analyzeRequest(r, false),
            r.urn,
        );
        return response.getRemediationsList().map((item) => {
            const remediation: PolicyRemediation = {
                policyPackName: item.getPolicypackname(),
                policyName: item.getPolicyname(),
                urn: r.urn,
                description: item.getDescription(),
            };
            if (item.getDiagnostic()) {
                remediation.diagnostic = item.getDiagnostic();
            }
            if (item.hasProperties()) {
                remediation.properties = fromStruct(item.getProperties());
            }
            return remediation;
        });
    }

    async analyze(r: PolicyResource): Promise<PolicyViolation[]> {
        const response = await this.call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
            "Analyze",
            this.client.analyze,
            analyzeRequest(r, true),
            r.urn,
        );
        return violationsFromWire(response, this.project.version);
    }

    async analyzeStack(rs: PolicyResource[]): Promise<PolicyViolation[]> {
        const request = new analyzerPb.AnalyzeStackRequest();
        request.setResourcesList(rs.map(stackResource));
        const response = await this.call<
            analyzerPb.AnalyzeStackRequest,
            analyzerPb.AnalyzeResponse
        >("AnalyzeStack", this.client.analyzeStack, request);
        return violationsFromWire(response, this.project.version);
    }

    /** Cancel (ignored when the pack lacks it), then stop the pack and the engine service. */
    async close(): Promise<void> {
        if (!this.exited && !this.abortedWith) {
            try {
                await this.call("Cancel", this.client.cancel, new Empty());
            } catch {
                // Older packs do not implement Cancel; the CLI ignores that too.
            }
            this.child.kill();
        }
        this.client.close();
        await this.exit;
        await this.engine.close();
    }
}

/** Lines without terminal colour codes, for messages. */
function plainText(lines: string[]): string {
    return lines.join("\n").replace(/\u001b\[[0-9;]*m/g, "");
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    let buffered = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
        buffered += chunk;
        let newline = buffered.indexOf("\n");
        while (newline >= 0) {
            onLine(buffered.slice(0, newline).replace(/\r$/, ""));
            buffered = buffered.slice(newline + 1);
            newline = buffered.indexOf("\n");
        }
    });
    stream.on("end", () => {
        if (buffered) {
            onLine(buffered);
        }
    });
}

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
        const current = await remediateWith(pack, info, resource, { remediations, violations });
        violations.push(
            ...(await pack.analyze(current)).map((v) => ({ ...v, urn: v.urn ?? current.urn })),
        );
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
