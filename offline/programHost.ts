// The child process of `ack-kms plan`: runs a Pulumi program with the SDK's own program runner
// (@pulumi/pulumi/cmd/run, the code the nodejs language host runs, so ts-node, `main` and the root
// Stack resource behave as under the CLI) against a resource monitor that answers as the engine
// would in a preview or an update, and records every registration whole. The parent reads the
// result from a file written at exit, so the program's console output cannot corrupt it.
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import {
    resourceReferenceSignature,
    secretSignatureKey as specialSignatureKey,
    unknownSentinel as unknown,
} from "./engineValues";
import { invokeResult, missingInvokeMessage, MockContext, PlanMocks } from "./invokes";
import { mockResource } from "./programOutputs";

/** What the parent asks for, passed as JSON in the ACK_KMS_PLAN_REQUEST environment variable. */
export interface HostRequest {
    project: string;
    stack: string;
    organization?: string;
    dryRun: boolean;
    programDirectory: string;
    entryPoint: string;
    resultFile: string;
    mocks: PlanMocks;
    /** Region of the default alicloud provider (stack config `alicloud:region`). */
    region: string;
    accountId: string;
}

/** One RegisterResource (or ReadResource) request, with the engine's answer. */
export interface HostRegistration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** true for `Resource.get` reads: the resource exists and the program does not manage it. */
    external?: boolean;
    parent?: string;
    id?: string;
    /** Engine encoding: unknown sentinels, secret signature objects; resource references as ids. */
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace?: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    customTimeouts?: { create?: string; update?: string; delete?: string };
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Provider reference `<urn>::<id>`, empty when the engine picks the default provider. */
    provider?: string;
    /** Package version the SDK asked for (names the default provider). */
    version?: string;
    aliases: string[];
}

export interface HostResult {
    registrations: HostRegistration[];
    /** The program's error messages (uncaught exceptions, failed invokes), once each. */
    errors: string[];
    invokes: Array<{ token: string; answered: boolean }>;
}

export const requestEnvironmentKey = "ACK_KMS_PLAN_REQUEST";

const rootStackType = "pulumi:pulumi:Stack";

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
// The SDK's mock monitor and protobuf classes are internal JavaScript modules without types.
type Request = any;
type Callback = (err: unknown, response?: unknown) => void;

/** The program's own copy of the SDK: mocks must be set on the instance the program imports. */
function sdkRootOf(programDirectory: string): string {
    let root: string;
    try {
        root = path.dirname(
            require.resolve("@pulumi/pulumi/package.json", { paths: [programDirectory] }),
        );
    } catch {
        root = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    }
    return root;
}

function sdkLoader(root: string): (relative: string) => any {
    return (relative) =>
        relative.startsWith("google-protobuf/")
            ? require(require.resolve(relative, { paths: [root] }))
            : require(path.join(root, relative));
}

/**
 * Loads the SDK's program runner (cmd/run/run.js). Its sibling index.js is the language host's
 * command line: it parses argv and connects to a real engine as soon as it is loaded, so a
 * stand-in takes its place, exporting the one constant run.js reads from it.
 */
function loadProgramRunner(sdkModule: (relative: string) => any, sdkRoot: string): any {
    const entry = require.resolve(path.join(sdkRoot, "cmd/run/index.js"));
    const standIn = new Module(entry);
    standIn.filename = entry;
    standIn.loaded = true;
    standIn.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 };
    require.cache[entry] = standIn;
    return sdkModule("cmd/run/run");
}

export async function runHost(request: HostRequest): Promise<void> {
    const sdkRoot = sdkRootOf(request.programDirectory);
    const sdkModule = sdkLoader(sdkRoot);
    // As the language host does before it runs a program: closures of dynamic providers are
    // serialized with v8 inspector hooks. Enabled first, while few scripts are loaded, it is cheap.
    const hooksReady = sdkModule("runtime/closure/v8Hooks").isInitializedAsync();
    const pulumi = sdkModule("index");
    const settings = sdkModule("runtime/settings");
    const { MockMonitor } = sdkModule("runtime/mocks");
    const resproto = sdkModule("proto/resource_pb");
    const { Struct } = sdkModule("google-protobuf/google/protobuf/struct_pb");

    const result: HostResult = { registrations: [], errors: [], invokes: [] };
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
        constructor(callbacks: typeof mocks) {
            super(callbacks);
        }

        // The engine does not chain the root stack's type into its children's URNs.
        newUrn(parent: string | undefined, type: string, name: string): string {
            return urnOf(request.stack, request.project, parent, type, name);
        }

        async registerResource(req: Request, callback: Callback) {
            try {
                const registration = this.capture(req, false);
                callback(null, this.respond(new resproto.RegisterResourceResponse(), registration));
            } catch (err) {
                callback(err);
            }
        }

        async readResource(req: Request, callback: Callback) {
            try {
                const registration = this.capture(req, true);
                const response = new resproto.ReadResourceResponse();
                response.setUrn(registration.urn);
                response.setProperties(Struct.fromJavaScript(registration.outputs));
                callback(null, response);
            } catch (err) {
                callback(err);
            }
        }

        registerResourceOutputs(req: Request, callback: Callback) {
            const registration = byUrn.get(req.getUrn());
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

    process.on("exit", () => {
        fs.writeFileSync(request.resultFile, JSON.stringify(result));
    });
    const onError = (err: unknown) => recordError(errorMessage(err));
    process.on("uncaughtException", onError);
    process.on("unhandledRejection", onError);

    await hooksReady;
    const { run } = loadProgramRunner(sdkModule, sdkRoot);
    const reported = new Set<unknown>();
    try {
        await run(
            { _: [request.entryPoint], pwd: request.programDirectory },
            () => undefined,
            (err: unknown) => reported.add(err),
            (err: unknown) => reported.has(err),
        );
    } catch (err) {
        onError(err);
    }
}

function errorMessage(err: unknown): string {
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
/* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */

/** Entry point of the child process: reads the request from the environment and runs it. */
export function hostMain(): void {
    const raw = process.env[requestEnvironmentKey];
    if (!raw) {
        process.stderr.write(
            `${requestEnvironmentKey} is not set: this module is started by ack-kms plan.\n`,
        );
        process.exitCode = 2;
        return;
    }
    runHost(JSON.parse(raw) as HostRequest).catch((err: unknown) => {
        process.stderr.write(`${errorMessage(err)}\n`);
    });
}

if (require.main === module) {
    hostMain();
}
