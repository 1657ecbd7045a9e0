// Starts a policy pack exactly as the Pulumi CLI does (through the nodejs language host's RunPlugin)
// and drives its Analyzer gRPC service. Used by `ack-kms plan` and by the policy tests.
//
// Checked against pulumi/pulumi 1b59498: sdk/nodejs/cmd/pulumi-language-nodejs/main.go (RunPlugin),
// pkg/resource/plugin/analyzer_plugin.go, pkg/resource/analyzer/config.go, pkg/engine/update.go
// (loadPolicyPlugins) and sdk/go/common/resource/plugin/rpc.go.

import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type { Empty as EmptyType } from "google-protobuf/google/protobuf/empty_pb";
import { parsePolicyConfigFile, reconcilePolicyConfig } from "./config";
import { EngineLogEntry, EngineLogServer } from "./engineLog";
import {
    AnalyzerInfo,
    EnforcementLevel,
    PolicyConfig,
    PolicyPackError,
    PolicyPackOptions,
    PolicyPackStartOptions,
    PolicyRemediation,
    PolicyResource,
    PolicyViolation,
} from "./model";
import { PolicyProject, readPolicyProject } from "./packProject";
import { launchPack, plainText } from "./packLaunch";
import { pulumiProtoRequire } from "./proto";
import {
    analyzeRequest,
    analyzerInfoFromWire,
    configureRequest,
    fromStruct,
    stackResource,
    violationsFromWire,
} from "./wire";

type Empty = EmptyType;
const { Empty } = pulumiProtoRequire(
    "google-protobuf/google/protobuf/empty_pb",
) as typeof import("google-protobuf/google/protobuf/empty_pb");

type Unary<Req, Res> = (
    request: Req,
    callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

/** A started pack; close() always. Errors (pack failed to start, bad config) throw PolicyPackError with a clear message. */
export class PolicyPackProcess {
    /** Log messages from the pack: Engine Log calls and the lines it printed after its port. */
    readonly logs: EngineLogEntry[];
    private info?: AnalyzerInfo;
    /** Each policy's level as the pack declares it, before any Configure. */
    private declaredLevels?: ReadonlyMap<string, EnforcementLevel>;
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
        const { child, engine, exit, listening } = await launchPack(options, packDir, project, []);

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

    /** The pack's metadata, cached as the CLI caches it; its levels are those of the last Configure. */
    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        if (!this.info) {
            const response = await this.call<Empty, analyzerPb.AnalyzerInfo>(
                "GetAnalyzerInfo",
                this.client.getAnalyzerInfo,
                new Empty(),
            );
            this.info = analyzerInfoFromWire(response, this.project);
            this.declaredLevels = new Map(
                this.info.policies.map((p) => [p.name, p.enforcementLevel]),
            );
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
        // Every Configure starts from the pack's own levels, as the engine's one Configure does: the
        // pack replaces its whole config with each call, so no earlier call may leak into this one.
        const declared = {
            ...info,
            policies: info.policies.map((p) => ({
                ...p,
                enforcementLevel: this.declaredLevels?.get(p.name) ?? p.enforcementLevel,
            })),
        };
        const { config, errors } = reconcilePolicyConfig(declared, parsed);
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
