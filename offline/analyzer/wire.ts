// Builds Analyzer requests and reads responses the way the engine does
// (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go: Analyze, AnalyzeStack, Remediate,
// marshalResourceOptions, marshalProvider, GetAnalyzerInfo, Configure).

import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type { Struct as StructType } from "google-protobuf/google/protobuf/struct_pb";
import type {
    AnalyzerInfo,
    EnforcementLevel,
    PolicyConfig,
    PolicyInfo,
    PolicyResource,
    PolicyViolation,
} from "./model";
import { pulumiProtoRequire } from "./proto";

const { Struct } = pulumiProtoRequire(
    "google-protobuf/google/protobuf/struct_pb",
) as typeof import("google-protobuf/google/protobuf/struct_pb");

const levelsToWire: Record<EnforcementLevel, analyzerPb.EnforcementLevel> = {
    advisory: analyzerPb.EnforcementLevel.ADVISORY,
    mandatory: analyzerPb.EnforcementLevel.MANDATORY,
    remediate: analyzerPb.EnforcementLevel.REMEDIATE,
    disabled: analyzerPb.EnforcementLevel.DISABLED,
};

export function levelFromWire(level: analyzerPb.EnforcementLevel): EnforcementLevel {
    switch (level) {
        case analyzerPb.EnforcementLevel.MANDATORY:
            return "mandatory";
        case analyzerPb.EnforcementLevel.REMEDIATE:
            return "remediate";
        case analyzerPb.EnforcementLevel.DISABLED:
            return "disabled";
        default:
            return "advisory";
    }
}

/** JSON-compatible copy: drops undefined members, which a Struct cannot hold. */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => (v === undefined ? null : plain(v)));
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            if (v !== undefined) {
                out[k] = plain(v);
            }
        }
        return out;
    }
    return value;
}

/**
 * Properties as MarshalProperties sends them with KeepUnknowns and KeepSecrets (the values are
 * already in engine encoding); SkipInternalKeys drops top-level `__` keys such as `__provider`.
 */
export function toStruct(
    properties: Record<string, unknown>,
    skipInternalKeys: boolean,
): StructType {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(properties)) {
        if (skipInternalKeys && key.startsWith("__")) {
            continue;
        }
        if (value !== undefined) {
            kept[key] = plain(value);
        }
    }
    return Struct.fromJavaScript(kept as Parameters<typeof Struct.fromJavaScript>[0]);
}

export function fromStruct(struct: StructType | undefined): Record<string, unknown> {
    return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

const durationUnits: Record<string, number> = {
    ns: 1e-9,
    us: 1e-6,
    µs: 1e-6,
    ms: 1e-3,
    s: 1,
    m: 60,
    h: 3600,
};

/** Seconds in a Go duration string such as `10m` or `1h30m` (the SDK's customTimeouts format). */
export function durationSeconds(duration: string | undefined): number {
    if (!duration) {
        return 0;
    }
    let total = 0;
    const re = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/g;
    let consumed = 0;
    for (let match = re.exec(duration); match; match = re.exec(duration)) {
        total += Number(match[1]) * durationUnits[match[2]];
        consumed += match[0].length;
    }
    if (consumed !== duration.length) {
        throw new Error(
            `[customTimeouts] "${duration}" is not a duration: use a number and a unit (h, m, s, ms), e.g. "10m".`,
        );
    }
    return total;
}

function resourceOptions(r: PolicyResource): analyzerPb.AnalyzerResourceOptions {
    const options = new analyzerPb.AnalyzerResourceOptions();
    options.setProtect(r.protect ?? false);
    options.setIgnorechangesList(r.ignoreChanges ?? []);
    options.setDeletebeforereplace(r.deleteBeforeReplace ?? false);
    options.setDeletebeforereplacedefined(r.deleteBeforeReplace !== undefined);
    options.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
    options.setAliasesList(r.aliases ?? []);
    // The engine always sends custom timeouts, zero when unset.
    const timeouts = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(durationSeconds(r.customTimeouts?.create));
    timeouts.setUpdate(durationSeconds(r.customTimeouts?.update));
    timeouts.setDelete(durationSeconds(r.customTimeouts?.delete));
    options.setCustomtimeouts(timeouts);
    options.setParent(r.parent ?? "");
    return options;
}

function providerResource(r: PolicyResource): analyzerPb.AnalyzerProviderResource | undefined {
    if (!r.provider) {
        return undefined;
    }
    const provider = new analyzerPb.AnalyzerProviderResource();
    provider.setUrn(r.provider.urn);
    provider.setType(r.provider.type);
    provider.setName(r.provider.name);
    provider.setProperties(toStruct(r.provider.properties, true));
    return provider;
}

/** The request of Analyze (skipInternalKeys true) and Remediate (false). */
export function analyzeRequest(
    r: PolicyResource,
    skipInternalKeys: boolean,
): analyzerPb.AnalyzeRequest {
    const request = new analyzerPb.AnalyzeRequest();
    request.setUrn(r.urn);
    request.setType(r.type);
    request.setName(r.name);
    request.setProperties(toStruct(r.properties, skipInternalKeys));
    request.setOptions(resourceOptions(r));
    const provider = providerResource(r);
    if (provider) {
        request.setProvider(provider);
    }
    return request;
}

/** One resource of AnalyzeStack: outputs as properties, parent and dependencies; no id. */
export function stackResource(r: PolicyResource): analyzerPb.AnalyzerResource {
    const resource = new analyzerPb.AnalyzerResource();
    resource.setUrn(r.urn);
    resource.setType(r.type);
    resource.setName(r.name);
    resource.setProperties(toStruct(r.outputs ?? r.properties, true));
    resource.setOptions(resourceOptions(r));
    const provider = providerResource(r);
    if (provider) {
        resource.setProvider(provider);
    }
    resource.setParent(r.parent ?? "");
    resource.setDependenciesList(r.dependencies);
    const dependencies = resource.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(r.propertyDependencies)) {
        // The engine skips properties without dependencies.
        if (urns.length === 0) {
            continue;
        }
        const entry = new analyzerPb.AnalyzerPropertyDependencies();
        entry.setUrnsList(urns);
        dependencies.set(property, entry);
    }
    return resource;
}

export function configureRequest(
    config: Record<string, PolicyConfig>,
): analyzerPb.ConfigureAnalyzerRequest {
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(config)) {
        const policyConfig = new analyzerPb.PolicyConfig();
        policyConfig.setEnforcementlevel(levelsToWire[entry.enforcementLevel]);
        policyConfig.setProperties(toStruct(entry.properties, false));
        map.set(name, policyConfig);
    }
    return request;
}

/**
 * The pack's metadata as the engine reads it: policies sorted by name, `enforcementLevel` injected
 * into each schema when the pack supports config, PulumiPolicy.yaml's version and description
 * preferred as the CLI prefers them.
 */
export function analyzerInfoFromWire(
    response: analyzerPb.AnalyzerInfo,
    project: { version?: string; description?: string },
): AnalyzerInfo {
    const supportsConfig = response.getSupportsconfig();
    const policies: PolicyInfo[] = response.getPoliciesList().map((p) => {
        const info: PolicyInfo = {
            name: p.getName(),
            description: p.getDescription(),
            enforcementLevel: levelFromWire(p.getEnforcementlevel()),
        };
        if (p.getDisplayname()) {
            info.displayName = p.getDisplayname();
        }
        if (supportsConfig) {
            const schema = p.getConfigschema();
            info.configSchema = {
                properties: {
                    ...(fromStruct(schema?.getProperties()) as Record<
                        string,
                        Record<string, unknown>
                    >),
                    enforcementLevel: {
                        type: "string",
                        enum: ["advisory", "mandatory", "remediate", "disabled"],
                    },
                },
            };
            const required = schema?.getRequiredList() ?? [];
            if (required.length > 0) {
                info.configSchema.required = required;
            }
        }
        return info;
    });
    policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    const initialConfig: Record<string, PolicyConfig> = {};
    response.getInitialconfigMap().forEach((entry, name) => {
        initialConfig[name] = {
            enforcementLevel: levelFromWire(entry.getEnforcementlevel()),
            properties: fromStruct(entry.getProperties()),
        };
    });

    const info: AnalyzerInfo = {
        name: response.getName(),
        version: project.version || response.getVersion(),
        supportsConfig,
        policies,
        initialConfig,
    };
    if (response.getDisplayname()) {
        info.displayName = response.getDisplayname();
    }
    const description = response.getDescription() || project.description;
    if (description) {
        info.description = description;
    }
    return info;
}

export function violationsFromWire(
    response: analyzerPb.AnalyzeResponse,
    projectVersion: string | undefined,
): PolicyViolation[] {
    return response.getDiagnosticsList().map((d) => {
        let level = levelFromWire(d.getEnforcementlevel());
        if (level === "remediate") {
            // A violation left after remediation, or from a stack policy, counts as mandatory.
            level = "mandatory";
        }
        const violation: PolicyViolation = {
            policyPackName: d.getPolicypackname(),
            policyPackVersion: projectVersion || d.getPolicypackversion(),
            policyName: d.getPolicyname(),
            description: d.getDescription(),
            message: d.getMessage(),
            enforcementLevel: level,
        };
        if (d.getUrn()) {
            violation.urn = d.getUrn();
        }
        return violation;
    });
}
