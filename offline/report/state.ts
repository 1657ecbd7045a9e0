// The planned stack as a Pulumi checkpoint (apitype.UntypedDeployment holding a DeploymentV3, as
// `pulumi stack export` writes and `pulumi stack import` reads; sdk/go/common/apitype/core.go), so
// the real CLI can judge it: `pulumi stack import --file` then `pulumi policy analyze`.
// Secrets are written as `plaintext` (as `stack export --show-secrets` does); `stack import`
// encrypts them with the stack's secrets provider.
import { createHash } from "crypto";
import {
    secretSignatureKey,
    secretSignatureValue,
    unknownSentinel as unknown,
} from "../engineValues";
import { PlannedResource } from "../program/engineResources";

export interface StateResourceV3 {
    urn: string;
    custom: boolean;
    id?: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    external?: boolean;
    dependencies?: string[];
    provider?: string;
    propertyDependencies?: Record<string, string[]>;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
    deleteBeforeReplace?: boolean;
    ignoreChanges?: string[];
}

export interface UntypedDeployment {
    version: 3;
    deployment: {
        manifest: { time: string; magic: string; version: string };
        resources: StateResourceV3[];
    };
}

export class StateFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StateFileError";
    }
}

export function buildStateFile(
    resources: PlannedResource[],
    engineVersion: string,
    time = new Date(),
): UntypedDeployment {
    const ids = new Map(resources.map((r) => [r.urn, r.id]));
    const unknownIds = resources.filter((r) => r.custom && (!r.id || r.id === unknown));
    if (unknownIds.length > 0) {
        throw new StateFileError(
            `[--state-out] needs known ids, but ${unknownIds.length} resource(s) have none (${unknownIds[0].urn}): plan with --mode update to write a state file.`,
        );
    }
    return {
        version: 3,
        deployment: {
            manifest: {
                time: time.toISOString(),
                // pkg/resource/deploy/manifest.go: the magic is the SHA-256 of the version.
                magic: createHash("sha256").update(engineVersion).digest("hex"),
                version: engineVersion,
            },
            resources: resources.map((r) => {
                const resource: StateResourceV3 = { urn: r.urn, custom: r.custom, type: r.type };
                if (r.custom && r.id) resource.id = r.id;
                resource.inputs = toState(r.properties) as Record<string, unknown>;
                resource.outputs = toState(r.outputs ?? r.properties) as Record<string, unknown>;
                if (r.parent) resource.parent = r.parent;
                if (r.protect) resource.protect = true;
                if (r.retainOnDelete) resource.retainOnDelete = true;
                if (r.external) resource.external = true;
                resource.dependencies = r.dependencies;
                if (r.provider) resource.provider = `${r.provider.urn}::${ids.get(r.provider.urn)}`;
                resource.propertyDependencies = r.propertyDependencies;
                if (r.additionalSecretOutputs?.length) {
                    resource.additionalSecretOutputs = r.additionalSecretOutputs;
                }
                if (r.aliases?.length) resource.aliases = r.aliases;
                if (r.customTimeouts) resource.customTimeouts = timeoutsInSeconds(r.customTimeouts);
                if (r.deleteBeforeReplace) resource.deleteBeforeReplace = true;
                if (r.ignoreChanges?.length) resource.ignoreChanges = r.ignoreChanges;
                return resource;
            }),
        },
    };
}

/** Reads a checkpoint back into the resources a policy pack sees (AnalyzeStack's view). */
export function readStateFile(content: unknown): PlannedResource[] {
    const deployment = content as Partial<UntypedDeployment>;
    if (deployment?.version !== 3 || !Array.isArray(deployment.deployment?.resources)) {
        throw new StateFileError(
            `not a Pulumi checkpoint: expected {"version": 3, "deployment": {"resources": [...]}}.`,
        );
    }
    const resources = deployment.deployment.resources;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return resources.map((r) => {
        const name = r.urn.split("::").slice(3).join("::");
        const providerUrn = r.provider ? r.provider.split("::").slice(0, -1).join("::") : undefined;
        const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
        const result: PlannedResource = {
            urn: r.urn,
            type: r.type,
            name,
            custom: r.custom,
            properties: fromState(r.inputs ?? {}) as Record<string, unknown>,
            outputs: fromState(r.outputs ?? {}) as Record<string, unknown>,
            ...(r.id ? { id: r.id } : {}),
            ...(r.parent ? { parent: r.parent } : {}),
            dependencies: r.dependencies ?? [],
            propertyDependencies: r.propertyDependencies ?? {},
            protect: r.protect === true,
            retainOnDelete: r.retainOnDelete === true,
            ...(r.external ? { external: true } : {}),
            ...(provider && providerUrn
                ? {
                      provider: {
                          urn: providerUrn,
                          type: provider.type,
                          name: providerUrn.split("::").slice(3).join("::"),
                          properties: fromState(provider.inputs ?? {}) as Record<string, unknown>,
                      },
                  }
                : {}),
        };
        return result;
    });
}

function toState(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(toState);
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[secretSignatureKey] === secretSignatureValue) {
            return {
                [secretSignatureKey]: secretSignatureValue,
                plaintext: JSON.stringify(plainValue(record.value)),
            };
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, toState(v)]));
    }
    return value;
}

function fromState(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(fromState);
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (
            record[secretSignatureKey] === secretSignatureValue &&
            typeof record.plaintext === "string"
        ) {
            return {
                [secretSignatureKey]: secretSignatureValue,
                value: JSON.parse(record.plaintext),
            };
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromState(v)]));
    }
    return value;
}

/** A secret's value holds no nested secret markers in a checkpoint's plaintext. */
function plainValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plainValue);
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[secretSignatureKey] === secretSignatureValue) return plainValue(record.value);
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plainValue(v)]));
    }
    return value;
}

/** Checkpoints hold custom timeouts in seconds; programs give durations such as "30m". */
function timeoutsInSeconds(timeouts: { create?: string; update?: string; delete?: string }) {
    const seconds = (duration: string | undefined) => {
        if (!duration) return undefined;
        let total = 0;
        for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms|us|ns)/g)) {
            const factor = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 }[unit] ?? 0;
            total += Number(amount) * factor;
        }
        return total;
    };
    const result: { create?: number; update?: number; delete?: number } = {};
    for (const key of ["create", "update", "delete"] as const) {
        const value = seconds(timeouts[key]);
        if (value !== undefined) result[key] = value;
    }
    return result;
}
