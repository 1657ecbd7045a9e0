// What the multi-language suites compare: the resource tree below the stack root and the policy
// findings, with URNs cut to `type$type::name` so that stacks of different projects (a Python,
// YAML or TypeScript reference stack) line up.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { Finding } from "./realEngine";

/** The scratch copy runs elsewhere: point its project's plugin path at this repository's provider. */
export function pointAtProvider(programCopy: string, providerDir: string): void {
    const file = path.join(programCopy, "Pulumi.yaml");
    const project = YAML.parse(fs.readFileSync(file, "utf8"));
    project.plugins.providers[0].path = providerDir;
    fs.writeFileSync(file, YAML.stringify(project));
}

/** A URN without stack, project and the stack root: `type$type::name`. */
export function localUrn(urn: string | undefined): string | undefined {
    if (!urn) return undefined;
    const [, , types, ...name] = urn.split("::");
    return `${types.replace(/^pulumi:pulumi:Stack\$?/, "")}::${name.join("::")}`;
}

export interface TreeEntry {
    resource: string;
    parent?: string;
    protect: boolean;
}

/** The tree below the stack root, without providers, in a stable order. */
export function tree(
    resources: Array<{ urn: string; type: string; parent?: string; protect: boolean }>,
) {
    return resources
        .filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"))
        .map((r): TreeEntry => ({
            resource: localUrn(r.urn) as string,
            parent: r.parent?.includes("pulumi:pulumi:Stack::") ? undefined : localUrn(r.parent),
            protect: r.protect,
        }))
        .sort((a, b) => a.resource.localeCompare(b.resource));
}

export function findingLines(findings: Finding[]): string[] {
    return [
        ...new Set(
            findings.map((f) => `${f.policy} [${f.level}] ${localUrn(f.urn)}: ${f.message}`),
        ),
    ].sort();
}
