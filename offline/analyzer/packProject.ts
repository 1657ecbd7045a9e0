// A policy pack's project as the CLI reads it: PulumiPolicy.yaml, the environment its process gets,
// and the SDK's run-policy-pack entry it is started with.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PolicyPackError, PolicyPackOptions } from "./model";

export interface PolicyProject {
    runtime: string;
    options: Record<string, unknown>;
    version?: string;
    description?: string;
}

export function readPolicyProject(packDir: string): PolicyProject {
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
export function packEnvironment(
    options: PolicyPackOptions,
    project: PolicyProject,
): NodeJS.ProcessEnv {
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

export function resolveRunPolicyPack(packDir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
        // The CLI's wording (pkg/resource/plugin/analyzer_plugin.go, errRunPolicyModuleNotFound).
        throw new PolicyPackError(
            `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${packDir}"`,
        );
    }
}
