// The child process of `ack-kms plan`: runs a Pulumi program with the SDK's own program runner
// (@pulumi/pulumi/cmd/run, the code the nodejs language host runs, so ts-node, `main` and the root
// Stack resource behave as under the CLI) against a resource monitor that answers as the engine
// would in a preview or an update, and records every registration whole. The parent starts it
// before reading the project: it loads the SDK meanwhile, and runs the program once the request
// arrives over IPC. The result goes back over IPC, or in a file written at exit (resultDelivery.ts),
// never through the program's console output, which cannot corrupt it.
// Longer than 400 lines because its capturing monitor is one class: it extends the program's own
// copy of the SDK's MockMonitor, loaded at run time, and shares the run's state; what does not need
// either lives beside it (registration.ts, transformOptions.ts, resultDelivery.ts, programErrors.ts).
import { unknownSentinel as unknown } from "../engineValues";
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
import { errorMessage } from "./programErrors";
import { deliverResultAtEnd } from "./resultDelivery";
import {
    aliasesOf,
    engineValue,
    propertyDependenciesOf,
    resourceOptionsOf,
    rootStackType,
    urnOf,
} from "./registration";
import { isOn } from "./speedMechanisms";
import { applyTransformOptions, transformOptionsOf } from "./transformOptions";
import {
    HostMessage,
    HostRegistration,
    HostResult,
    HostStart,
    hostEnvironmentKey,
} from "./hostProtocol";

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

            let options = transformOptionsOf(resproto, req);
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
                aliases: read ? [] : aliasesOf(req, urn, parent, type, name, request),
            };
            if (!read) Object.assign(registration, resourceOptionsOf(req));
            result.registrations.push(registration);
            byUrn.set(urn, registration);
            (this as any).resources.set(urn, { urn, id: id ?? null, state: outputs });
            return registration;
        }
    }

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

    const runEnd = deliverResultAtEnd({
        result,
        recordError,
        resultFile: request.resultFile,
        leaked: () => {
            const [leaks, leakMessage] = sdkModule("runtime/debuggable").leakedPromises();
            return leaks.size > 0 ? String(leakMessage).trim() : undefined;
        },
        stackOutputsRegistered: () => stackOutputsRegistered,
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
        runEnd.settled();
    }
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
