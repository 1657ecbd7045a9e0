// How a RegisterResource or ReadResource request becomes what the engine records of it: its URN,
// its values in the engine's encoding, its property dependencies, aliases and resource options.
import {
    resourceReferenceSignature,
    secretSignatureKey as specialSignatureKey,
    unknownSentinel as unknown,
} from "../engineValues";
import type { HostRegistration, HostRequest } from "./hostProtocol";

/* eslint-disable @typescript-eslint/no-explicit-any */
// The SDK's protobuf classes are internal JavaScript modules without types.
type Request = any;

export const rootStackType = "pulumi:pulumi:Stack";

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

export function propertyDependenciesOf(req: Request): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value: Request, key: string) => {
        result[key] = value.getUrnsList();
    });
    return result;
}

/** Resource references reach analyzers and the state as their id (custom) or URN (component). */
export function engineValue(value: unknown): any {
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

/** The registration's aliases as URNs, an alias spec resolved against the resource's own names. */
export function aliasesOf(
    req: Request,
    urn: string,
    parent: string | undefined,
    type: string,
    name: string,
    request: Pick<HostRequest, "stack" | "project">,
): string[] {
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
}

/** The resource options the engine records of a registration, as far as they were given. */
export function resourceOptionsOf(
    req: Request,
): Pick<HostRegistration, "protect" | "retainOnDelete" | "deleteBeforeReplace" | "customTimeouts"> {
    const registration: Pick<
        HostRegistration,
        "protect" | "retainOnDelete" | "deleteBeforeReplace" | "customTimeouts"
    > = {};
    if (req.hasProtect()) registration.protect = req.getProtect();
    if (req.hasRetainondelete()) registration.retainOnDelete = req.getRetainondelete();
    if (req.getDeletebeforereplacedefined()) {
        registration.deleteBeforeReplace = req.getDeletebeforereplace();
    }
    const timeouts = req.getCustomtimeouts();
    if (timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())) {
        registration.customTimeouts = {
            ...(timeouts.getCreate() ? { create: timeouts.getCreate() } : {}),
            ...(timeouts.getUpdate() ? { update: timeouts.getUpdate() } : {}),
            ...(timeouts.getDelete() ? { delete: timeouts.getDelete() } : {}),
        };
    }
    return registration;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
