// What plan and the policy tests exchange with a policy pack: the resources it is sent, the
// violations and remediations it answers, its metadata and config, and the options it starts with.

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
