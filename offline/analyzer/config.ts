// Policy configuration as the Pulumi CLI prepares it before Configure: parse the user's file, start
// each policy from its own level and schema defaults, apply the pack's initial config, then the
// user's, and validate every policy's properties against its schema.
// Mirrors pulumi/pulumi pkg/resource/analyzer/config.go (parsePolicyPackConfig,
// ReconcilePolicyPackConfig, validatePolicyConfig) and pkg/engine/update.go (the error wording).

import Ajv, { ErrorObject } from "ajv";
import type { AnalyzerInfo, EnforcementLevel, PolicyConfig } from "./model";

export const enforcementLevels: readonly EnforcementLevel[] = [
    "advisory",
    "mandatory",
    "remediate",
    "disabled",
];

/** A user's policy config entry after parsing: either part may be absent. */
export interface ParsedPolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (enforcementLevels as readonly string[]).includes(value);
}

/** Parses the content of a `--policy-pack-config` file as the CLI does; throws its messages. */
export function parsePolicyConfigFile(
    config: Record<string, unknown>,
): Record<string, ParsedPolicyConfig> {
    const result: Record<string, ParsedPolicyConfig> = {};
    for (const [name, value] of Object.entries(config)) {
        if (name === "environments") {
            // ESC environment references: the CLI resolves them through its backend, which we lack.
            throw new Error(
                `"environments" in the policy config needs a Pulumi Cloud backend; remove it to run offline`,
            );
        }
        let entry: ParsedPolicyConfig;
        if (typeof value === "string") {
            if (!isEnforcementLevel(value)) {
                throw new Error(
                    `parsing enforcement level for "${name}": "${value}" is not a valid enforcement level`,
                );
            }
            entry = { enforcementLevel: value };
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const properties = { ...(value as Record<string, unknown>) };
            entry = {};
            if ("enforcementLevel" in properties) {
                const level = properties.enforcementLevel;
                if (typeof level !== "string") {
                    throw new Error(
                        `parsing enforcement level for "${name}": ${String(level)} is not a valid enforcement level; must be a string`,
                    );
                }
                if (!isEnforcementLevel(level)) {
                    throw new Error(
                        `parsing enforcement level for "${name}": "${level}" is not a valid enforcement level`,
                    );
                }
                entry.enforcementLevel = level;
                delete properties.enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                entry.properties = properties;
            }
        } else {
            throw new Error(
                `parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`,
            );
        }
        if (entry.enforcementLevel === undefined && entry.properties === undefined) {
            continue;
        }
        result[name] = entry;
    }
    return result;
}

function applyConfig(
    result: Record<string, ParsedPolicyConfig>,
    toApply: Record<string, ParsedPolicyConfig>,
): void {
    const all = toApply["all"];
    if (all?.enforcementLevel) {
        for (const name of Object.keys(result)) {
            result[name] = { ...result[name], enforcementLevel: all.enforcementLevel };
        }
    }
    for (const [name, given] of Object.entries(toApply)) {
        const current = result[name] ?? {};
        const properties =
            given.properties && Object.keys(given.properties).length > 0
                ? { ...(current.properties ?? {}), ...given.properties }
                : current.properties;
        result[name] = {
            enforcementLevel: given.enforcementLevel ?? current.enforcementLevel,
            properties,
        };
    }
}

/** gojsonschema's wording, which the CLI prints, for the keywords our schemas use. */
function describeSchemaError(error: ErrorObject): string {
    const field = error.instancePath ? error.instancePath.slice(1).split("/").join(".") : "(root)";
    const params = error.params as Record<string, unknown>;
    let description: string;
    switch (error.keyword) {
        case "required":
            return `${String(params.missingProperty)} is required`;
        case "type":
            description = `Invalid type. Expected: ${String(params.type)}, given: ${jsonTypeOf(error.data)}`;
            break;
        case "enum":
            description = `${field} must be one of the following: ${(
                params.allowedValues as unknown[]
            )
                .map((v) => JSON.stringify(v))
                .join(", ")}`;
            break;
        case "minimum":
            description = `Must be greater than or equal to ${String(params.limit)}`;
            break;
        case "maximum":
            description = `Must be less than or equal to ${String(params.limit)}`;
            break;
        case "additionalProperties":
            description = `Additional property ${String(params.additionalProperty)} is not allowed`;
            break;
        case "minItems":
            description = `Array must have at least ${String(params.limit)} items`;
            break;
        case "minLength":
            description = `String length must be greater than or equal to ${String(params.limit)}`;
            break;
        case "pattern":
            description = `Does not match pattern '${String(params.pattern)}'`;
            break;
        case "uniqueItems":
            description = `array items[${String(params.j)},${String(params.i)}] must be unique`;
            break;
        default:
            description = error.message ?? error.keyword;
    }
    return field === "(root)" ? description : `${field}: ${description}`;
}

function jsonTypeOf(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "array";
    }
    if (typeof value === "number") {
        return Number.isInteger(value) ? "integer" : "number";
    }
    return typeof value;
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });

/**
 * Defaults, then initial config, then the user's config; validated per policy.
 * Returns the config to send, or the CLI's validation messages
 * (`validating policy config: <pack> <version>  <policy>: <problem>`), sorted as the CLI sorts them.
 */
export function reconcilePolicyConfig(
    info: AnalyzerInfo,
    userConfig: Record<string, ParsedPolicyConfig>,
): { config: Record<string, PolicyConfig>; errors: string[] } {
    const merged: Record<string, ParsedPolicyConfig> = {};
    for (const policy of info.policies) {
        let properties: Record<string, unknown> | undefined;
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                properties = { ...(properties ?? {}), [key]: schema.default };
            }
        }
        merged[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
    }
    applyConfig(merged, info.initialConfig);
    applyConfig(merged, userConfig);

    const errors: string[] = [];
    // The CLI keeps a config entry for a policy the pack does not have and sends it on, so a typo
    // there silently changes nothing; a gate must not pass on a setting it never applied.
    const known = info.policies.map((p) => p.name);
    for (const name of Object.keys(userConfig)) {
        if (name !== "all" && !known.includes(name)) {
            errors.push(
                `[--policy-config] "${name}" is not a policy of ${info.name} ${info.version}: use one of ${known.join(", ")}, or "all".`,
            );
        }
    }
    for (const policy of info.policies) {
        if (!policy.configSchema) {
            continue;
        }
        const schema: Record<string, unknown> = { type: "object" };
        if (Object.keys(policy.configSchema.properties).length > 0) {
            schema.properties = policy.configSchema.properties;
        }
        if (policy.configSchema.required && policy.configSchema.required.length > 0) {
            schema.required = policy.configSchema.required;
        }
        const validate = ajv.compile(schema);
        if (!validate(merged[policy.name]?.properties ?? {})) {
            for (const error of validate.errors ?? []) {
                errors.push(
                    `validating policy config: ${info.name} ${info.version}  ${policy.name}: ${describeSchemaError(error)}`,
                );
            }
        }
    }
    errors.sort();

    const config: Record<string, PolicyConfig> = {};
    for (const [name, entry] of Object.entries(merged)) {
        if (!entry.enforcementLevel) {
            // The CLI refuses to send a config entry without a valid level.
            errors.push(`invalid enforcement level "" for "${name}"`);
            continue;
        }
        config[name] = {
            enforcementLevel: entry.enforcementLevel,
            properties: entry.properties ?? {},
        };
    }
    return { config, errors };
}
