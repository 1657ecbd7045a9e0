// The child process of `ack-kms plan`: runs a Pulumi program with the SDK's own program runner
// (@pulumi/pulumi/cmd/run, the code the nodejs language host runs, so ts-node, `main` and the root
// Stack resource behave as under the CLI) against a resource monitor that answers as the engine
// would in a preview or an update, and records every registration whole. The parent starts it
// before reading the project: it loads the SDK meanwhile, and runs the program once the request
// arrives over IPC. The parent reads the result from a file written at exit, so the program's
// console output cannot corrupt it.
import * as fs from "fs";
import {
    resourceReferenceSignature,
    secretSignatureKey as specialSignatureKey,
    unknownSentinel as unknown,
} from "../engineValues";
import { invokeResult, missingInvokeMessage, MockContext } from "./invokes";
import { mockResource } from "./outputs";
import { missingStackReferenceMessage } from "./stackReferences";
import {
    loadProgramRunner,
    loadTypeScriptCached,
    sdkLoader,
    sdkRootOf,
    skipUnreadPromiseStacks,
} from "./sdkHooks";
import { isOn } from "./speedMechanisms";
import {
    HostMessage,
    HostRegistration,
    HostReply,
    HostResult,
    HostStart,
    hostEnvironmentKey,
} from "./hostProtocol";

const rootStackType = "pulumi:pulumi:Stack";
const stackReferenceType = "pulumi:pulumi:StackReference";

/* eslint-disable @typescript-eslint/no-explicit-any */
// The SDK's mock monitor and protobuf classes are internal JavaScript modules without types.
type Request = any;
type Callback = (err: unknown, response?: unknown) => void;

export async function runHost(start: HostStart, message: Promise<HostMessage>): Promise<void> {
    const sdkRoot = sdkRootOf(start.sdkDirectory);
    const sdkModule = sdkLoader(sdkRoot);
    if (start.closureHooks) {
        await sdkModule("runtime/closure/v8Hooks").isInitializedAsync();
    }
    if (isOn("typeScriptCodeCache")) loadTypeScriptCached(sdkRoot);
    const pulumi = sdkModule("index");
    const settings = sdkModule("runtime/settings");
    const { MockMonitor } = sdkModule("runtime/mocks");
    const resproto = sdkModule("proto/resource_pb");
    const callbackGrpc = sdkModule("proto/callback_grpc_pb");
    const callbackProto = sdkModule("proto/callback_pb");
    const grpc = sdkModule("@grpc/grpc-js");
    const { Struct } = sdkModule("google-protobuf/google/protobuf/struct_pb");
    const { run } = loadProgramRunner(sdkModule, sdkRoot, {
        tracingStandIn: isOn("tracingStandIn"),
    });
    if (isOn("unreadPromiseStacksSkipped")) skipUnreadPromiseStacks(sdkModule);

    const { request, env } = await message;
    Object.assign(process.env, env);

    const result: HostResult = { registrations: [], errors: [], invokes: [] };
    /** Whether the SDK's runner got as far as registering the root stack's outputs. */
    let stackOutputsRegistered = false;
    const byUrn = new Map<string, HostRegistration>();
    const recordError = (message: string) => {
        // A failure also surfaces as errors without a cause of their own (an empty Error from a
        // failed invoke, "error serializing property ..." chains ending in ":"): skip those echoes.
        const echo =
            message === "" ||
            (message.startsWith("error serializing property") && message.endsWith(":"));
        if (!echo && !result.errors.includes(message)) {
            result.errors.push(message);
        }
    };

    const contextFor = (providerRef: string | undefined): MockContext => {
        const providerUrn = providerRef ? providerRef.split("::").slice(0, -1).join("::") : "";
        const region = byUrn.get(providerUrn)?.inputs.region;
        return {
            region: typeof region === "string" && region !== unknown ? region : request.region,
            accountId: request.accountId,
        };
    };

    const mocks = {
        newResource: () => {
            throw new Error("registrations are answered by the capturing monitor");
        },
        call: (args: { token: string; inputs: Record<string, unknown>; provider: string }) => {
            const answer = invokeResult(
                args.token,
                args.inputs,
                contextFor(args.provider),
                request.mocks,
            );
            result.invokes.push({ token: args.token, answered: answer !== undefined });
            if (answer === undefined) {
                const message = missingInvokeMessage(args.token);
                recordError(message);
                throw new Error(message);
            }
            return answer;
        },
    };

    class CapturingMonitor extends MockMonitor {
        /** Stack transforms, in the order the program registered them. */
        private readonly stackTransforms: Request[] = [];
        /** Stack invoke transforms, in the order the program registered them. */
        private readonly invokeTransforms: Request[] = [];
        /** The transforms option of each resource, which its descendants inherit. */
        private readonly resourceTransforms = new Map<string, Request[]>();
        private readonly parents = new Map<string, string | undefined>();
        private readonly callbackClients = new Map<string, Request>();

        constructor(callbacks: typeof mocks) {
            super(callbacks);
        }

        registerStackTransform(req: Request, callback: Callback) {
            this.stackTransforms.push(req);
            callback(null, {});
        }

        registerStackInvokeTransform(req: Request, callback: Callback) {
            this.invokeTransforms.push(req);
            callback(null, {});
        }

        /** Runs the stack's invoke transforms on the call's args first, as the engine does. */
        async invoke(req: Request, callback: Callback) {
            try {
                let options = new resproto.TransformInvokeOptions();
                options.setProvider(req.getProvider());
                options.setVersion(req.getVersion());
                options.setPluginDownloadUrl(req.getPlugindownloadurl());
                let args = req.getArgs();
                for (const transform of this.invokeTransforms) {
                    const request = new resproto.TransformInvokeRequest();
                    request.setToken(req.getTok());
                    request.setArgs(args);
                    request.setOptions(options);
                    const response = resproto.TransformInvokeResponse.deserializeBinary(
                        await this.callback(transform, request),
                    );
                    args = response.getArgs() ?? args;
                    options = response.getOptions() ?? options;
                }
                req.setArgs(args);
                req.setProvider(options.getProvider());
                req.setVersion(options.getVersion());
            } catch (err) {
                callback(err);
                return;
            }
            return super.invoke(req, callback);
        }

        // The engine does not chain the root stack's type into its children's URNs.
        newUrn(parent: string | undefined, type: string, name: string): string {
            return urnOf(request.stack, request.project, parent, type, name);
        }

        async registerResource(req: Request, callback: Callback) {
            try {
                await this.applyTransforms(req);
                const registration = this.capture(req, false);
                callback(null, this.respond(new resproto.RegisterResourceResponse(), registration));
            } catch (err) {
                callback(err);
            }
        }

        async readResource(req: Request, callback: Callback) {
            try {
                const registration = this.capture(req, true);
                if (registration.type === stackReferenceType) {
                    // The CLI's builtin provider reads the stack from the backend; plan from --stack-reference.
                    const name = String(registration.inputs.name ?? req.getId());
                    const outputs = request.stackReferences[name];
                    if (outputs === undefined) {
                        const message = missingStackReferenceMessage(name);
                        recordError(message);
                        throw new Error(message);
                    }
                    registration.id = name;
                    registration.outputs = { name, outputs, secretOutputNames: [] };
                    (this as any).resources.set(registration.urn, {
                        urn: registration.urn,
                        id: name,
                        state: registration.outputs,
                    });
                }
                const response = new resproto.ReadResourceResponse();
                response.setUrn(registration.urn);
                // The engine answers with the provider's id; without one, a preview takes it as unknown.
                response.setId(registration.id ?? "");
                response.setProperties(Struct.fromJavaScript(registration.outputs));
                callback(null, response);
            } catch (err) {
                callback(err);
            }
        }

        registerResourceOutputs(req: Request, callback: Callback) {
            const registration = byUrn.get(req.getUrn());
            if (registration?.type === rootStackType && !registration.parent) {
                stackOutputsRegistered = true;
            }
            if (registration) {
                registration.outputs = engineValue(req.getOutputs()?.toJavaScript() ?? {});
                (this as any).resources.set(registration.urn, {
                    urn: registration.urn,
                    id: registration.id ?? null,
                    state: registration.outputs,
                });
            }
            callback(null, {});
        }

        /**
         * Runs the resource's own transforms, then each ancestor's, then the stack's, as the
         * engine does (pkg/resource/deploy/source_eval.go, RegisterResource): each gets the
         * TransformRequest the engine would send, through the SDK's callback server, and its
         * answer replaces the registration's inputs and options.
         */
        private async applyTransforms(req: Request): Promise<void> {
            const parent: string | undefined = req.getParent() || undefined;
            const urn = this.newUrn(parent, req.getType(), req.getName());
            const own: Request[] = req.getTransformsList();
            this.parents.set(urn, parent);
            if (own.length > 0) this.resourceTransforms.set(urn, own);
            const inherited: Request[] = [];
            for (let p = parent; p !== undefined; p = this.parents.get(p)) {
                inherited.push(...(this.resourceTransforms.get(p) ?? []));
            }
            const transforms = [...own, ...inherited, ...this.stackTransforms];
            if (transforms.length === 0) return;

            let options = transformOptionsOf(req);
            let properties = req.getObject();
            for (const transform of transforms) {
                const request = new resproto.TransformRequest();
                request.setType(req.getType());
                request.setName(req.getName());
                request.setCustom(req.getCustom());
                request.setParent(parent ?? "");
                request.setProperties(properties);
                request.setOptions(options);
                const response = resproto.TransformResponse.deserializeBinary(
                    await this.callback(transform, request),
                );
                properties = response.getProperties() ?? properties;
                options = response.getOptions() ?? options;
            }
            req.setObject(properties);
            applyTransformOptions(req, options);
        }

        /** Calls one of the program's callbacks (a transform) through the SDK's callback server. */
        private callback(callback: Request, request: Request): Promise<Uint8Array> {
            const invoke = new callbackProto.CallbackInvokeRequest();
            invoke.setToken(callback.getToken());
            invoke.setRequest(request.serializeBinary());
            return new Promise((resolve, reject) =>
                this.callbacksClient(callback.getTarget()).invoke(
                    invoke,
                    (err: unknown, res: Request) =>
                        err ? reject(err) : resolve(res.getResponse_asU8()),
                ),
            );
        }

        private callbacksClient(target: string): Request {
            let client = this.callbackClients.get(target);
            if (!client) {
                client = new callbackGrpc.CallbacksClient(
                    target,
                    grpc.credentials.createInsecure(),
                );
                this.callbackClients.set(target, client);
            }
            return client;
        }

        private respond(response: Request, registration: HostRegistration) {
            response.setUrn(registration.urn);
            response.setId(registration.id ?? "");
            response.setObject(Struct.fromJavaScript(registration.outputs));
            return response;
        }

        private capture(req: Request, read: boolean): HostRegistration {
            const type: string = req.getType();
            const name: string = req.getName();
            const parent: string | undefined = req.getParent() || undefined;
            const urn = this.newUrn(parent, type, name);
            const inputs = engineValue(
                (read ? req.getProperties() : req.getObject())?.toJavaScript() ?? {},
            ) as Record<string, unknown>;
            const custom = read ? true : Boolean(req.getCustom());
            const provider: string | undefined = req.getProvider() || undefined;
            const importId: string | undefined = read
                ? req.getId()
                : req.getImportid() || undefined;

            let id: string | undefined;
            let outputs: Record<string, unknown> = {};
            if (custom) {
                const extra = request.mocks.resources[type];
                if (request.dryRun && !importId) {
                    // As in `pulumi preview`: a new resource's outputs are its inputs, the rest unknown.
                    outputs = { ...inputs, ...(extra ?? {}) };
                } else {
                    const mocked = mockResource(
                        type,
                        name,
                        urn,
                        inputs,
                        contextFor(provider),
                        extra,
                        importId,
                    );
                    id = importId ?? mocked.id;
                    outputs = mocked.outputs;
                }
            }

            const registration: HostRegistration = {
                urn,
                type,
                name,
                custom,
                ...(read ? { external: true } : {}),
                parent,
                id,
                inputs,
                outputs,
                ignoreChanges: read ? [] : req.getIgnorechangesList(),
                additionalSecretOutputs: read ? [] : req.getAdditionalsecretoutputsList(),
                dependencies: req.getDependenciesList(),
                propertyDependencies: read ? {} : propertyDependenciesOf(req),
                provider,
                version: req.getVersion() || undefined,
                aliases: read ? [] : aliasesOf(req, urn, parent, type, name),
            };
            if (!read) {
                if (req.hasProtect()) registration.protect = req.getProtect();
                if (req.hasRetainondelete()) registration.retainOnDelete = req.getRetainondelete();
                if (req.getDeletebeforereplacedefined()) {
                    registration.deleteBeforeReplace = req.getDeletebeforereplace();
                }
                const timeouts = req.getCustomtimeouts();
                if (
                    timeouts &&
                    (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())
                ) {
                    registration.customTimeouts = {
                        ...(timeouts.getCreate() ? { create: timeouts.getCreate() } : {}),
                        ...(timeouts.getUpdate() ? { update: timeouts.getUpdate() } : {}),
                        ...(timeouts.getDelete() ? { delete: timeouts.getDelete() } : {}),
                    };
                }
            }
            result.registrations.push(registration);
            byUrn.set(urn, registration);
            (this as any).resources.set(urn, { urn, id: id ?? null, state: outputs });
            return registration;
        }
    }

    /** The options the engine puts in a TransformRequest, from the registration. */
    const transformOptionsOf = (req: Request): Request => {
        const options = new resproto.TransformResourceOptions();
        options.setDependsOnList(req.getDependenciesList());
        if (req.hasProtect()) options.setProtect(req.getProtect());
        options.setIgnoreChangesList(req.getIgnorechangesList());
        options.setReplaceOnChangesList(req.getReplaceonchangesList());
        options.setVersion(req.getVersion());
        options.setAliasesList(req.getAliasesList());
        options.setProvider(req.getProvider());
        const providers = options.getProvidersMap();
        req.getProvidersMap().forEach((v: string, k: string) => providers.set(k, v));
        if (req.getCustomtimeouts()) options.setCustomTimeouts(req.getCustomtimeouts());
        options.setPluginDownloadUrl(req.getPlugindownloadurl());
        if (req.hasRetainondelete()) options.setRetainOnDelete(req.getRetainondelete());
        options.setDeletedWith(req.getDeletedwith());
        if (req.getDeletebeforereplacedefined()) {
            options.setDeleteBeforeReplace(req.getDeletebeforereplace());
        }
        options.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
        options.setImport(req.getImportid());
        return options;
    };

    /** Writes a transform's options back into the registration. */
    const applyTransformOptions = (req: Request, options: Request): void => {
        req.setDependenciesList(options.getDependsOnList());
        if (options.hasProtect()) req.setProtect(options.getProtect());
        else req.clearProtect?.();
        req.setIgnorechangesList(options.getIgnoreChangesList());
        req.setReplaceonchangesList(options.getReplaceOnChangesList());
        req.setVersion(options.getVersion());
        req.setAliasesList(options.getAliasesList());
        req.setProvider(options.getProvider());
        req.setCustomtimeouts(options.getCustomTimeouts());
        if (options.hasRetainOnDelete()) req.setRetainondelete(options.getRetainOnDelete());
        else req.clearRetainondelete?.();
        req.setDeletebeforereplacedefined(options.hasDeleteBeforeReplace());
        req.setDeletebeforereplace(options.getDeleteBeforeReplace() ?? false);
        req.setAdditionalsecretoutputsList(options.getAdditionalSecretOutputsList());
        req.setImportid(options.getImport());
    };

    const aliasesOf = (
        req: Request,
        urn: string,
        parent: string | undefined,
        type: string,
        name: string,
    ): string[] => {
        const aliases: string[] = [...req.getAliasurnsList()];
        for (const alias of req.getAliasesList()) {
            if (alias.getUrn()) {
                aliases.push(alias.getUrn());
                continue;
            }
            const spec = alias.getSpec();
            if (!spec) continue;
            const aliasParent = spec.getNoparent() ? undefined : spec.getParenturn() || parent;
            aliases.push(
                urnOf(
                    spec.getStack() || request.stack,
                    spec.getProject() || request.project,
                    aliasParent,
                    spec.getType() || type,
                    spec.getName() || name,
                ),
            );
        }
        return aliases.filter((alias) => alias !== urn);
    };

    await pulumi.runtime.setMocks(
        mocks,
        request.project,
        request.stack,
        request.dryRun,
        request.organization,
    );
    settings.setMockOptions(
        new CapturingMonitor(mocks),
        request.project,
        request.stack,
        request.dryRun,
        request.organization,
    );

    // Once the program is done and nothing is left to run, the result goes to the parent over IPC,
    // so it need not wait for this process to tear down (a large heap takes 10-20 ms). A program
    // that ends the process itself (process.exit) leaves the result in the file instead.
    let delivered = false;
    let eventLoopEmptied = false;
    let runSettled = false;
    const leaked = (): string | undefined => {
        const [leaks, leakMessage] = sdkModule("runtime/debuggable").leakedPromises();
        return leaks.size > 0 ? String(leakMessage).trim() : undefined;
    };
    process.once("beforeExit", () => {
        eventLoopEmptied = true;
        // The SDK fails a deployment whose program left promises pending (it checks at exit, after
        // this): the same check here makes it an error of the plan too.
        const leakMessage = leaked();
        if (leakMessage !== undefined && result.errors.length === 0) {
            recordError(leakMessage);
        }
        if (!runSettled && result.errors.length === 0) {
            // Nothing pending the SDK tracks, but the program's exports never resolved: the SDK
            // never registers the stack's outputs and the engine ends the deployment without them.
            result.incomplete =
                "The program's stack outputs never resolved: the run ended without registering them, so the stack has no outputs (pulumi records none either).";
        }
        if (!process.send || !process.connected) return;
        if (!isOn("resultOverIpc")) {
            process.disconnect(); // the result goes to the file at exit
            return;
        }
        const reply: HostReply = { result };
        process.send(reply, (err: Error | null) => {
            delivered = !err;
            if (process.connected) process.disconnect();
        });
    });
    process.on("exit", (code: number) => {
        if (!eventLoopEmptied && result.errors.length === 0) {
            // The program ended the process itself (process.exit) before the event loop emptied.
            // Under the CLI the SDK's exit check fails an exit 0 that leaves registrations pending,
            // and the language host fails any other code: so does plan, naming what was cut short.
            const leakMessage = leaked();
            if (code !== 0) {
                recordError(
                    `The program called process.exit(${code}) before it finished` +
                        (leakMessage ? `: ${leakMessage}` : "."),
                );
            } else if (leakMessage !== undefined) {
                recordError(
                    `The program called process.exit(0) before its registrations finished: ${leakMessage}`,
                );
            } else if (!stackOutputsRegistered) {
                // Here the monitor answers at once; the engine answers over the network, so under
                // the CLI the same exit cuts registrations short and fails the run.
                recordError(
                    "The program called process.exit(0) before the run finished (the stack's outputs were never registered): under the Pulumi CLI its registrations are still in flight then, and the run fails.",
                );
            }
        }
        if (!delivered) fs.writeFileSync(request.resultFile, JSON.stringify(result));
    });
    // Errors recorded here are marked as reported, so the SDK's own handler (run.js) skips them:
    // it formats every error with util.inspect for a tracing event even when tracing is off, which
    // took 25-35 s (mostly garbage collection) for a missing config value here.
    const reported = new Set<unknown>();
    const onError = (err: unknown) => {
        reported.add(err);
        recordError(errorMessage(err, request.stack));
    };
    process.on("uncaughtException", onError);
    process.on("unhandledRejection", onError);

    try {
        await run(
            { _: [request.entryPoint], pwd: request.programDirectory },
            () => undefined,
            (err: unknown) => reported.add(err),
            (err: unknown) => reported.has(err),
        );
    } catch (err) {
        onError(err);
    } finally {
        runSettled = true;
    }
}

function errorMessage(err: unknown, stack?: string): string {
    const missing = err as { key?: unknown; constructor?: { name?: string } } | null;
    if (
        err instanceof Error &&
        missing?.constructor?.name === "ConfigMissingError" &&
        typeof missing.key === "string"
    ) {
        // The SDK's text says `pulumi config set`; offline, the value comes from --config.
        const key = missing.key;
        return `Missing required configuration variable '${key}': pass it with --config ${key}=<value>${stack ? ` or set it in Pulumi.${stack}.yaml` : ""}.`;
    }
    if (err instanceof Error) {
        // ResourceError and RunError carry the user's message; others show their name too.
        const name =
            err.name && err.name !== "Error" && !/ResourceError|RunError/.test(err.name)
                ? `${err.name}: `
                : "";
        return `${name}${err.message}`.trim();
    }
    return String(err);
}

/** The engine's URN: the parent's type chained in, except the root stack's. */
export function urnOf(
    stack: string,
    project: string,
    parent: string | undefined,
    type: string,
    name: string,
): string {
    let qualifiedType = type;
    if (parent) {
        const parentType = parent.split("::")[2] ?? "";
        if (parentType !== rootStackType) {
            qualifiedType = `${parentType}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

function propertyDependenciesOf(req: Request): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value: Request, key: string) => {
        result[key] = value.getUrnsList();
    });
    return result;
}

/** Resource references reach analyzers and the state as their id (custom) or URN (component). */
function engineValue(value: unknown): any {
    if (Array.isArray(value)) {
        return value.map(engineValue);
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[specialSignatureKey] === resourceReferenceSignature) {
            if ("id" in record) {
                return record.id === "" || record.id === undefined ? unknown : record.id;
            }
            return record.urn;
        }
        const copy: Record<string, unknown> = {};
        for (const [key, inner] of Object.entries(record)) {
            copy[key] = engineValue(inner);
        }
        return copy;
    }
    return value;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Entry point of the child process: starts loading the SDK at once, and runs the program when the
 * parent's request arrives on the IPC channel. Closing the channel then lets the process end when
 * the program is done; a parent gone before it sent the request ends the host.
 */
export function hostMain(): void {
    const raw = process.env[hostEnvironmentKey];
    if (!raw || !process.send) {
        process.stderr.write(
            `${hostEnvironmentKey} and an IPC channel are missing: this module is started by ack-kms plan.\n`,
        );
        process.exitCode = 2;
        return;
    }
    const message = new Promise<HostMessage>((resolve) => {
        const leave = () => process.exit(2);
        process.once("disconnect", leave);
        process.once("message", (received: HostMessage) => {
            // The channel stays open for the result; with no listener left it does not keep the
            // process alive, and a parent gone meanwhile no longer ends the program.
            process.off("disconnect", leave);
            resolve(received);
        });
    });
    runHost(JSON.parse(raw) as HostStart, message).catch((err: unknown) => {
        process.stderr.write(`${errorMessage(err)}\n`);
        process.exitCode = 2;
        if (process.connected) process.disconnect();
    });
}

if (require.main === module) {
    hostMain();
}
