// What ack-kms plan and its program host (host.ts) say to each other: how the host is
// started, the request it gets over IPC, and the result it writes. Types and names only, so the
// plan command can start the host without loading the host's own code.
import type { PlanMocks } from "./invokes";

/**
 * How the parent starts the host, in the ACK_KMS_PLAN_HOST environment variable. The host starts
 * before the parent has read the project, and loads the SDK meanwhile; the request follows.
 */
export interface HostStart {
    /** The folder whose copy of @pulumi/pulumi the program imports. */
    sdkDirectory: string;
    /**
     * Start the v8 inspector hooks before the SDK loads, as the language host does. They only name
     * the file and line of a function the SDK cannot serialize in its error message, and cost
     * a tenth of a second, so plan turns them on only to rerun a program that hit such an error.
     */
    closureHooks: boolean;
}

/** What the parent asks for, sent over the IPC channel once it has read the project. */
export interface HostMessage {
    request: HostRequest;
    /** The environment the language host gives a program; program keys left out stay unset. */
    env: Partial<Record<ProgramEnvironmentKey | typeof transpileOnlyKey, string>>;
}

export interface HostRequest {
    project: string;
    stack: string;
    organization: string;
    dryRun: boolean;
    programDirectory: string;
    entryPoint: string;
    resultFile: string;
    mocks: PlanMocks;
    /** `--stack-reference` outputs, by fully qualified stack name. */
    stackReferences: Record<string, Record<string, unknown>>;
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

/** What the host sends back over IPC when the program is done. */
export interface HostReply {
    result: HostResult;
}

export interface HostResult {
    registrations: HostRegistration[];
    /** The program's error messages (uncaught exceptions, failed invokes), once each. */
    errors: string[];
    invokes: Array<{ token: string; answered: boolean }>;
    /** What the run left undone without failing, as the engine would (stack outputs never resolved). */
    incomplete?: string;
}

export const hostEnvironmentKey = "ACK_KMS_PLAN_HOST";

/**
 * The variables the nodejs language host sets for a program. The host process starts without
 * them (the parent's own values, say of a Pulumi program running ack-kms, must not leak in) and
 * gets them with the request.
 */
export const programEnvironmentKeys = [
    "PULUMI_CONFIG",
    "PULUMI_CONFIG_SECRET_KEYS",
    "PULUMI_NODEJS_TYPESCRIPT",
    "PULUMI_NODEJS_TSCONFIG_PATH",
    "PULUMI_NODEJS_PROJECT",
    "PULUMI_NODEJS_STACK",
    "PULUMI_NODEJS_ORGANIZATION",
    "PULUMI_NODEJS_DRY_RUN",
] as const;

export type ProgramEnvironmentKey = (typeof programEnvironmentKeys)[number];

/**
 * The language host's switch for compiling TypeScript without type-checking it. Unlike the keys
 * above it passes through from the calling process; plan's --transpile-only sets it.
 */
export const transpileOnlyKey = "PULUMI_NODEJS_TRANSPILE_ONLY";
