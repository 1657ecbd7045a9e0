// The resources as the engine holds them after the program's run: each registration in the
// engine's view, with the default provider the engine adds for each package and version in use.
import { PolicyResource } from "../analyzer";
import { unknownSentinel as unknown } from "../engineValues";
import type { HostRegistration, HostRequest } from "./hostProtocol";
import { mockResource } from "./outputs";
import { packageConfig, ProgramProject } from "./project";

/** A resource as the engine holds it, with what the reports need besides the policy view. */
export interface PlannedResource extends PolicyResource {
    /** Read with `Resource.get`: it exists and the program does not manage it. */
    external?: boolean;
    /** true for the default providers the engine adds. */
    defaultProvider?: boolean;
}

/** The resources as the engine would hold them: registrations plus the default providers it adds. */
export function engineResources(
    registrations: HostRegistration[],
    project: ProgramProject,
    request: HostRequest,
): PlannedResource[] {
    const defaults = new Map<string, PlannedResource>();
    const resources: PlannedResource[] = [];
    /** The resources so far, by URN: an explicit provider is registered before its users. */
    const planned = new Map<string, PlannedResource>();

    const defaultProviderFor = (registration: HostRegistration): PlannedResource => {
        const pkg = registration.type.split(":")[0];
        const name = defaultProviderName(registration.version);
        const urn = `urn:pulumi:${request.stack}::${request.project}::pulumi:providers:${pkg}::${name}`;
        let provider = defaults.get(urn);
        if (!provider) {
            const inputs: Record<string, unknown> = { ...packageConfig(project.config, pkg) };
            if (registration.version) inputs.version = registration.version;
            const id = request.dryRun
                ? unknown
                : mockResource(`pulumi:providers:${pkg}`, name, urn, inputs, {
                      region: request.region,
                      accountId: request.accountId,
                  }).id;
            provider = {
                urn,
                type: `pulumi:providers:${pkg}`,
                name,
                custom: true,
                defaultProvider: true,
                id,
                properties: inputs,
                outputs: inputs,
                dependencies: [],
                propertyDependencies: {},
                protect: false,
                retainOnDelete: false,
            };
            defaults.set(urn, provider);
            resources.push(provider);
        }
        return provider;
    };

    for (const registration of registrations) {
        let provider: PlannedResource | undefined;
        const isProvider = registration.type.startsWith("pulumi:providers:");
        if (registration.custom && !isProvider) {
            if (registration.provider) {
                const providerUrn = registration.provider.split("::").slice(0, -1).join("::");
                provider = planned.get(providerUrn);
            } else {
                provider = defaultProviderFor(registration);
            }
        }
        const resource: PlannedResource = {
            urn: registration.urn,
            type: registration.type,
            name: registration.name,
            custom: registration.custom,
            ...(registration.external ? { external: true } : {}),
            // The engine writes a provider's `version` option into its inputs, as for a default
            // provider (source_eval.go, SetProviderVersion); packs see it in the provider's props.
            properties:
                isProvider && registration.version
                    ? { ...registration.inputs, version: registration.version }
                    : registration.inputs,
            // A new resource's outputs in a preview are its inputs: left out, so the analyzer gives
            // AnalyzeStack the inputs after remediation, as the engine does.
            ...(previewEcho(registration, request) ? {} : { outputs: registration.outputs }),
            ...(registration.custom ? { id: registration.id ?? unknown } : {}),
            ...(registration.parent ? { parent: registration.parent } : {}),
            dependencies: registration.dependencies,
            propertyDependencies: registration.propertyDependencies,
            protect: registration.protect ?? false,
            retainOnDelete: registration.retainOnDelete ?? false,
            ...(registration.deleteBeforeReplace !== undefined
                ? { deleteBeforeReplace: registration.deleteBeforeReplace }
                : {}),
            ignoreChanges: registration.ignoreChanges,
            aliases: registration.aliases,
            additionalSecretOutputs: registration.additionalSecretOutputs,
            ...(registration.customTimeouts ? { customTimeouts: registration.customTimeouts } : {}),
            ...(provider
                ? {
                      provider: {
                          urn: provider.urn,
                          type: provider.type,
                          name: provider.name,
                          properties: provider.properties,
                      },
                  }
                : {}),
        };
        resources.push(resource);
        if (!planned.has(resource.urn)) planned.set(resource.urn, resource);
    }
    return resources;
}

function previewEcho(registration: HostRegistration, request: HostRequest): boolean {
    return (
        request.dryRun &&
        registration.custom &&
        !registration.external &&
        !(registration.type in request.mocks.resources)
    );
}

/** `default`, or `default_<major>_<minor>_<patch>[_<pre>...]`, as pkg/resource/deploy/providers names them. */
export function defaultProviderName(version: string | undefined): string {
    if (!version) return "default";
    const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(
        version,
    );
    if (!match) return "default";
    const parts = [match[1], match[2], match[3]];
    if (match[4]) parts.push(...match[4].split("."));
    if (match[5]) parts.push(...match[5].split("."));
    return `default_${parts.join("_")}`;
}
