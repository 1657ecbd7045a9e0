// The plan report every output format renders: the resources the program registered (as a tree),
// the key each cluster is bound to, and the verdict of each policy pack. Its JSON form is
// documented by offline/schemas/plan-report.schema.json.
import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel, PolicyRemediation, PolicyRunResult } from "../analyzer";
import type { PlannedResource } from "../program/engineResources";
import { ProgramRun } from "../program/runProgram";
import { unknownSentinel as unknown } from "../engineValues";
import { findKeyBindings, KeyBinding } from "./bindings";
import { redact, secretStrings } from "./secrets";
import { parseWaivedMessage } from "../../policy/waivers";

export const planReportVersion = 1;

export interface ReportResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** Absent when unknown (a new resource in preview). */
    id?: string;
    protect: boolean;
    retainOnDelete: boolean;
    external: boolean;
    defaultProvider: boolean;
    /** URN of the provider that manages it. */
    provider?: string;
    /** Clusters only: the key resource (URN) or key id their Secret encryption is bound to. */
    boundKey?: string;
}

export interface ReportViolation {
    policyPack: string;
    policyPackVersion: string;
    policy: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    /** Absent for stack-wide findings without a resource. */
    urn?: string;
    resourceType?: string;
    resourceName?: string;
    /** Set when a waiver in the policy config covers the finding (the pack then reports it advisory). */
    waived?: { owner: string; expires: string; reason: string };
}

export interface ReportPolicyPack {
    name: string;
    version: string;
    directory: string;
    policies: Array<{ name: string; description: string; enforcementLevel: string }>;
}

/** Something that makes a run less than a clean pass without failing it; every format shows it. */
export interface ReportNotice {
    /** no-resources: nothing besides the stack; run-incomplete: the run ended with work undone. */
    id: "no-resources" | "run-incomplete";
    level: "warning";
    message: string;
}

/** Where a failed plan (exit code 2) stopped. */
export type FailureStage =
    "arguments" | "project" | "program" | "policyPack" | "gate" | "output" | "internal";

export interface ReportFailure {
    stage: FailureStage;
    message: string;
}

/**
 * What `--format json` prints when the plan failed before it had a report (exit code 2): the
 * failure and a summary that did not pass, with the project and stack when they were read.
 */
export interface PlanFailureReport {
    version: typeof planReportVersion;
    project?: string;
    stack?: string;
    mode?: "preview" | "update";
    programDirectory?: string;
    failure: ReportFailure;
    notices: ReportNotice[];
    summary: { resources: 0; mandatory: 0; advisory: 0; passed: false };
}

export interface PlanReport {
    version: typeof planReportVersion;
    project: string;
    stack: string;
    mode: "preview" | "update";
    /** The folder of Pulumi.yaml and the program's entry, as given on the command line. */
    programDirectory: string;
    /** The program's entry file (what code scanning points at), relative like programDirectory. */
    programFile: string;
    resources: ReportResource[];
    bindings: KeyBinding[];
    policyPacks: ReportPolicyPack[];
    violations: ReportViolation[];
    remediations: Array<
        Pick<PolicyRemediation, "policyPackName" | "policyName" | "urn" | "description">
    >;
    notes: string[];
    /** Warnings every format shows loudly: no resources to check, a run cut short. */
    notices: ReportNotice[];
    /** Set when the plan ran but fails anyway (exit code 2), e.g. --require-resources. */
    failure?: ReportFailure;
    summary: {
        resources: number;
        mandatory: number;
        advisory: number;
        /** true when no mandatory violation was found and nothing failed: `ack-kms plan` exits 0. */
        passed: boolean;
    };
}

export interface PackRun {
    directory: string;
    result: PolicyRunResult;
}

export function buildPlanReport(
    run: ProgramRun,
    packs: PackRun[],
    analysisNotes: string[] = [],
): PlanReport {
    // Policies judged the resources after remediation; the report shows what they judged.
    const remediated = new Map<string, PlannedResource>();
    for (const pack of packs) {
        for (const resource of pack.result.resources) {
            remediated.set(resource.urn, resource as PlannedResource);
        }
    }
    const resources = run.resources.map((r) => ({ ...r, ...(remediated.get(r.urn) ?? {}) }));
    const bindings = findKeyBindings(resources);
    const boundKeyOf = new Map(bindings.map((b) => [b.clusterUrn, b.keyUrn ?? b.keyId]));
    const byUrn = new Map(resources.map((r) => [r.urn, r]));

    const violations: ReportViolation[] = packs.flatMap((pack) =>
        pack.result.violations.map((v) => {
            const resource = v.urn ? byUrn.get(v.urn) : undefined;
            return {
                policyPack: v.policyPackName,
                policyPackVersion: v.policyPackVersion,
                policy: v.policyName,
                description: v.description,
                // The engine reports a violation at level remediate as mandatory.
                enforcementLevel:
                    v.enforcementLevel === "remediate" ? "mandatory" : v.enforcementLevel,
                message: v.message,
                ...(v.urn ? { urn: v.urn } : {}),
                ...(resource ? { resourceType: resource.type, resourceName: resource.name } : {}),
                ...waiverOf(v.message),
            };
        }),
    );
    // Values marked secret (resource inputs and outputs, secret config) never reach a report in
    // plain text: a pack sees secrets unwrapped and may quote one in its message.
    const secrets = secretStrings([
        ...run.resources.flatMap((r) => [r.properties, r.outputs]),
        ...packs.flatMap((pack) => pack.result.resources.flatMap((r) => [r.properties, r.outputs])),
    ]).concat(
        run.project.secretKeys
            .map((key) => run.project.config[key])
            .filter((v): v is string => typeof v === "string" && v.length >= 4),
    );
    for (const violation of violations) {
        violation.message = redact(violation.message, secrets);
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const notices: ReportNotice[] = [];
    if (!run.registrations.some((r) => r.type !== "pulumi:pulumi:Stack")) {
        notices.push({
            id: "no-resources",
            level: "warning",
            message:
                "The program registered no resources besides the stack: the policies had nothing to check. Pass --require-resources to fail such a plan (exit 2).",
        });
    }
    if (run.incomplete) {
        notices.push({ id: "run-incomplete", level: "warning", message: run.incomplete });
    }
    const advisory = violations.filter((v) => v.enforcementLevel === "advisory").length;

    return {
        version: planReportVersion,
        project: run.project.name,
        stack: run.project.stack,
        mode: run.mode,
        programDirectory: displayPath(run.project.rootDirectory),
        programFile: displayPath(entryFile(run.project.programDirectory, run.project.entryPoint)),
        resources: resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            custom: r.custom,
            ...(r.parent ? { parent: r.parent } : {}),
            ...(r.id && r.id !== unknown ? { id: r.id } : {}),
            protect: r.protect === true,
            retainOnDelete: r.retainOnDelete === true,
            external: r.external === true,
            defaultProvider: r.defaultProvider === true,
            ...(r.provider ? { provider: r.provider.urn } : {}),
            ...(boundKeyOf.get(r.urn) ? { boundKey: boundKeyOf.get(r.urn) } : {}),
        })),
        bindings,
        policyPacks: packs.map((pack) => ({
            name: pack.result.pack.name,
            version: pack.result.pack.version,
            directory: displayPath(pack.directory),
            policies: pack.result.pack.policies.map((p) => ({
                name: p.name,
                description: p.description,
                enforcementLevel: p.enforcementLevel,
            })),
        })),
        violations,
        remediations: packs.flatMap((pack) =>
            pack.result.remediations.map((r) => ({
                policyPackName: r.policyPackName,
                policyName: r.policyName,
                urn: r.urn,
                description: redact(r.description, secrets),
            })),
        ),
        notes: [...run.notes, ...analysisNotes].map((note) => redact(note, secrets)),
        notices,
        summary: { resources: resources.length, mandatory, advisory, passed: mandatory === 0 },
    };
}

/** The failure document of a plan that stopped before it had a report. */
export function buildFailureReport(
    failure: ReportFailure,
    context: {
        project?: string;
        stack?: string;
        mode?: "preview" | "update";
        rootDirectory?: string;
    },
): PlanFailureReport {
    return {
        version: planReportVersion,
        ...(context.project ? { project: context.project } : {}),
        ...(context.stack ? { stack: context.stack } : {}),
        ...(context.mode ? { mode: context.mode } : {}),
        ...(context.rootDirectory ? { programDirectory: displayPath(context.rootDirectory) } : {}),
        failure,
        notices: [],
        summary: { resources: 0, mandatory: 0, advisory: 0, passed: false },
    };
}

/** The file the language host starts: the entry point, or the folder's package main or index. */
function entryFile(programDirectory: string, entryPoint: string): string {
    if (entryPoint !== ".") return path.join(programDirectory, entryPoint);
    for (const candidate of ["index.ts", "index.js", "Pulumi.yaml"]) {
        if (fs.existsSync(path.join(programDirectory, candidate))) {
            return path.join(programDirectory, candidate);
        }
    }
    return programDirectory;
}

/** Paths relative to the working directory, as a user typed them and CI checks them out. */
export function displayPath(absolute: string): string {
    const relative = path.relative(process.cwd(), absolute);
    return relative === ""
        ? "."
        : relative.startsWith("..")
          ? absolute
          : relative.split(path.sep).join("/");
}

/** The waiver the pack put before a waived finding's message (policy/waivedPolicy.ts). */
function waiverOf(message: string): Pick<ReportViolation, "waived"> {
    const waived = parseWaivedMessage(message);
    return waived
        ? { waived: { owner: waived.owner, expires: waived.expires, reason: waived.reason } }
        : {};
}
