// Runs Pulumi programs under the SDK's mock monitor and records everything they register.
//
// `MockResourceArgs` (SDK 3.276) carries only type, name, inputs, provider, custom and id: not the
// parent, protect, retainOnDelete or dependencies. So the monitor's registerResource is wrapped to
// read the raw RegisterResourceRequest the SDK sends, which is what the engine would see.
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** The id the mock gave it (undefined in preview, where new resources have no id yet). */
    id?: string;
    custom: boolean;
    /** Inputs as the mock's newResource sees them: secrets unwrapped, unknowns as the SDK's marker. */
    inputs: Record<string, any>;
    /** Inputs in the engine's encoding (unknown sentinel strings, secret objects). */
    rawInputs: Record<string, any>;
    parent?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    /** URNs from dependsOn and from inputs, as the engine receives them. */
    dependencies: string[];
    /** Input name -> URNs of the resources that input depends on. */
    propertyDependencies: Record<string, string[]>;
    /** Provider reference (`<urn>::<id>`), when one was given or inherited. */
    provider?: string;
}

export interface RecordedInvoke {
    token: string;
    inputs: Record<string, any>;
    provider?: string;
}

export type CallHandler = (inputs: Record<string, any>) => Record<string, any>;

export interface MockOptions {
    /** Run as `pulumi preview`: new resources get no id and their computed outputs are unknown. */
    preview?: boolean;
    project?: string;
    stack?: string;
    /** Stack config, `namespace:key` -> value. */
    config?: Record<string, string>;
    /** Extra computed outputs for a registered resource (merged over the defaults). */
    outputs?: (resource: {
        type: string;
        name: string;
        inputs: Record<string, any>;
    }) => Record<string, any> | undefined;
    /** Invoke results by token, replacing the defaults. */
    calls?: Record<string, CallHandler>;
}

export interface MockRun {
    resources: RecordedResource[];
    invokes: RecordedInvoke[];
    /** Messages of `pulumi.log.warn`. */
    warnings: string[];
    /** Messages of `pulumi.log.error`. */
    errors: string[];
    /** Waits until every registration and invoke the program started has finished. */
    settle(): Promise<void>;
    /** Resources of a type token, in registration order. */
    ofType(type: string): RecordedResource[];
    /** The one resource with this type and name; throws when there is not exactly one. */
    get(type: string, name: string): RecordedResource;
    /** The resource with this URN; throws when absent. */
    byUrn(urn: string): RecordedResource;
}

export const mockAccountId = "1234567890123456";
export const mockKubeconfig =
    "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: https://127.0.0.1:6443\n";

/** What the default invokes answer: an account that already has ACK's security role. */
export const defaultCalls: Record<string, CallHandler> = {
    "alicloud:vpc/getEnhancedNatAvailableZones:getEnhancedNatAvailableZones": () => ({
        id: "zones",
        ids: ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"],
        zones: ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"].map((zoneId) => ({
            zoneId,
            localName: zoneId,
        })),
    }),
    "alicloud:cs/getClusterCredential:getClusterCredential": (inputs) => ({
        id: inputs.clusterId,
        clusterId: inputs.clusterId,
        clusterName: `${inputs.clusterId}-name`,
        kubeConfig: mockKubeconfig,
        expiration: "2099-01-01T00:00:00Z",
        certificateAuthority: {},
    }),
    "alicloud:ram/getRoles:getRoles": () => ({
        id: "roles",
        ids: ["AliyunCSManagedSecurityRole"],
        names: ["AliyunCSManagedSecurityRole"],
        roles: [
            {
                id: "AliyunCSManagedSecurityRole",
                name: "AliyunCSManagedSecurityRole",
                arn: `acs:ram::${mockAccountId}:role/aliyuncsmanagedsecurityrole`,
            },
        ],
    }),
    "alicloud:ram/getRolePolicyAttachments:getRolePolicyAttachments": (inputs) => ({
        id: inputs.roleName,
        ids: [],
        roleName: inputs.roleName,
        attachments: [
            { id: "a1", policyName: "AliyunCSManagedSecurityRolePolicy", policyType: "System" },
        ],
    }),
};

/** Computed outputs the real provider returns, so programs can use them under mocks. */
function computedOutputs(
    type: string,
    id: string,
    inputs: Record<string, any>,
    region: string,
): Record<string, any> {
    switch (type) {
        case "alicloud:kms/key:Key":
            return { arn: `acs:kms:${region}:${mockAccountId}:key/${id}`, keyState: "Enabled" };
        case "alicloud:ram/role:Role":
            return {
                arn: `acs:ram::${mockAccountId}:role/${String(inputs.roleName).toLowerCase()}`,
                roleId: `${id}-role-id`,
            };
        case "alicloud:ram/policy:Policy":
            return { type: "Custom", defaultVersion: "v1" };
        default:
            return {};
    }
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, any> } | undefined;
    hasProtect(): boolean;
    getProtect(): boolean | undefined;
    hasRetainondelete(): boolean;
    getRetainondelete(): boolean | undefined;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getDependenciesList(): string[];
    getPropertydependenciesMap(): {
        entries(): Iterable<[string, { getUrnsList(): string[] }]>;
    };
    getProvider(): string;
}

type Callback = (err: unknown, response: { getUrn(): string; getId(): string } | undefined) => void;

let currentRun: MockRun | undefined;
let patchedWarn: typeof console.warn | undefined;
let patchedError: typeof console.error | undefined;

/**
 * Routes the SDK's engine-less log lines into the current run. Patches again whenever a test has
 * put other functions in their place since.
 */
function patchConsole(): void {
    if (console.warn === patchedWarn && console.error === patchedError) {
        return;
    }
    const warn = console.warn.bind(console);
    const error = console.error.bind(console);
    patchedWarn = (...parts: unknown[]) => {
        const line = parts.map(String).join(" ");
        if (currentRun && line.startsWith("warning: [runtime] ")) {
            currentRun.warnings.push(line.slice("warning: [runtime] ".length));
            return;
        }
        warn(...parts);
    };
    patchedError = (...parts: unknown[]) => {
        const line = parts.map(String).join(" ");
        if (currentRun && line.startsWith("error: [runtime] ")) {
            currentRun.errors.push(line.slice("error: [runtime] ".length));
            return;
        }
        error(...parts);
    };
    console.warn = patchedWarn;
    console.error = patchedError;
}

/**
 * Sets the SDK's mocks and returns the run that records what the program registers and invokes.
 * Call it before constructing resources (or before importing a program).
 */
export async function setupMocks(options: MockOptions = {}): Promise<MockRun> {
    const preview = options.preview ?? false;
    const config = options.config ?? {};
    const region = config["alicloud:region"] ?? "cn-hangzhou";
    const calls = { ...defaultCalls, ...options.calls };
    const run: MockRun = {
        resources: [],
        invokes: [],
        warnings: [],
        errors: [],
        settle: async () => {
            const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> })
                .waitForRPCs;
            // Registrations start more work (applies, children); wait until the queue stays empty.
            for (let i = 0; i < 20; i++) {
                await waitForRPCs();
                await new Promise((resolve) => setImmediate(resolve));
            }
        },
        ofType: (type) => run.resources.filter((r) => r.type === type),
        get: (type, name) => {
            const found = run.resources.filter((r) => r.type === type && r.name === name);
            if (found.length !== 1) {
                const known = run.resources.map((r) => `${r.type} ${r.name}`).join("\n  ");
                throw new Error(
                    `expected one ${type} named ${name}, found ${found.length}; registered:\n  ${known}`,
                );
            }
            return found[0];
        },
        byUrn: (urn) => {
            const found = run.resources.find((r) => r.urn === urn);
            if (!found) {
                throw new Error(`no resource with URN ${urn}`);
            }
            return found;
        },
    };
    currentRun = run;
    patchConsole();

    pulumi.runtime.setAllConfig(config, []);
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const id = preview ? undefined : `${args.name}-id`;
                const state = {
                    ...args.inputs,
                    ...(preview
                        ? {}
                        : computedOutputs(args.type, `${args.name}-id`, args.inputs, region)),
                    ...options.outputs?.({ type: args.type, name: args.name, inputs: args.inputs }),
                };
                return { id: args.id || id, state };
            },
            call: (args) => {
                run.invokes.push({
                    token: args.token,
                    inputs: args.inputs,
                    provider: args.provider,
                });
                const handler = calls[args.token];
                return handler ? handler(args.inputs) : {};
            },
        },
        options.project ?? "project",
        options.stack ?? "stack",
        preview,
    );

    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, callback: Callback) => {
        const propertyDependencies: Record<string, string[]> = {};
        for (const [key, deps] of req.getPropertydependenciesMap().entries()) {
            propertyDependencies[key] = deps.getUrnsList();
        }
        const rawInputs = req.getObject()?.toJavaScript() ?? {};
        const record: RecordedResource = {
            type: req.getType(),
            name: req.getName(),
            urn: "",
            custom: req.getCustom(),
            inputs: pulumi.runtime.deserializeProperties(req.getObject() as any),
            rawInputs,
            parent: req.getParent() || undefined,
            protect: req.hasProtect() ? req.getProtect() : undefined,
            retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
            deleteBeforeReplace: req.getDeletebeforereplace(),
            ignoreChanges: req.getIgnorechangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            provider: req.getProvider() || undefined,
        };
        run.resources.push(record);
        return register(req, (err, response) => {
            if (response) {
                record.urn = response.getUrn();
                record.id = response.getId() || undefined;
            }
            callback(err, response);
        });
    };
    return run;
}

/** The value of an Output, or undefined when it is unknown (as in preview). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
        const internal = output as unknown as {
            promise(): Promise<T>;
            isKnown: Promise<boolean>;
        };
        Promise.all([internal.promise(), internal.isKnown]).then(
            ([value, known]) => resolve(known ? value : undefined),
            reject,
        );
    });
}

/** Whether an Output is a secret. */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/**
 * The message a rejected Output carries, without the "error serializing property ..." prefixes the
 * SDK adds while the failure travels through the inputs of the resources that used it.
 */
export async function rejectionMessage(promise: Promise<unknown>): Promise<string> {
    try {
        await promise;
    } catch (e) {
        return (e as Error).message.replace(/^(error serializing property "[^"]*": )+/, "");
    }
    throw new Error("expected a rejection, but the promise resolved");
}
