// The plan for a terminal: the resource tree with protect/retain flags and key bindings, then the
// violations grouped by policy, then the verdict.
import { counted } from "./counted";
import { PlanReport, ReportNotice, ReportResource } from "./model";
import { parseWaivedMessage } from "../../policy/waivers";

export function renderText(report: PlanReport): string {
    const lines: string[] = [];
    // The program's registrations plus the default providers the engine adds, said apart so the
    // count agrees with the progress line ("Program registered N resources").
    const defaults = report.resources.filter((r) => r.defaultProvider).length;
    const registered = report.summary.resources - defaults;
    lines.push(
        `Plan of ${report.project} (stack ${report.stack}, ${report.mode}) - ${counted(report.summary.resources, "resource")}` +
            (defaults > 0
                ? ` (${registered} registered by the program, ${counted(defaults, "default provider")})`
                : ""),
        "",
    );
    const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
    const children = new Map<string, ReportResource[]>();
    const roots: ReportResource[] = [];
    for (const resource of report.resources) {
        if (resource.parent && byUrn.has(resource.parent)) {
            const siblings = children.get(resource.parent) ?? [];
            siblings.push(resource);
            children.set(resource.parent, siblings);
        } else {
            roots.push(resource);
        }
    }
    const walk = (resource: ReportResource, prefix: string, last: boolean, top: boolean) => {
        const branch = top ? "" : last ? "└─ " : "├─ ";
        lines.push(`${prefix}${branch}${describe(resource, byUrn)}`);
        const kids = children.get(resource.urn) ?? [];
        const nextPrefix = top ? prefix : prefix + (last ? "   " : "│  ");
        kids.forEach((kid, i) => walk(kid, nextPrefix, i === kids.length - 1, false));
    };
    roots.forEach((root) => walk(root, "", true, true));

    lines.push("");
    if (report.policyPacks.length === 0) {
        lines.push("No policy pack given (--policy-pack): resources were not checked.");
    } else {
        const packs = report.policyPacks.map((p) => `${p.name}@${p.version}`).join(", ");
        if (report.violations.length === 0) {
            lines.push(`Policies (${packs}): no violations.`);
        } else {
            lines.push(`Policy violations (${packs}):`);
            const groups = new Map<string, typeof report.violations>();
            for (const violation of report.violations) {
                const key = `${violation.policyPack}/${violation.policy}`;
                groups.set(key, [...(groups.get(key) ?? []), violation]);
            }
            for (const [key, group] of groups) {
                lines.push(`  [${group[0].enforcementLevel}] ${key}: ${group[0].description}`);
                for (const violation of group) {
                    const where = violation.urn
                        ? `${violation.resourceType ?? "?"} "${violation.resourceName ?? violation.urn}"`
                        : "stack";
                    lines.push(
                        violation.waived
                            ? `    - ${where}: [waived until ${violation.waived.expires} by ${violation.waived.owner}: ${violation.waived.reason}] ${withoutDescription(parseWaivedMessage(violation.message)?.message ?? violation.message, violation.description)}`
                            : `    - ${where}: ${withoutDescription(violation.message, violation.description)}`,
                    );
                }
            }
        }
    }
    if (report.remediations.length > 0) {
        lines.push("Remediations applied before the policies judged the resources:");
        const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
        for (const remediation of report.remediations) {
            const resource = byUrn.get(remediation.urn);
            lines.push(
                `  - ${remediation.policyPackName}/${remediation.policyName} on ${resource ? `${resource.type} "${resource.name}"` : remediation.urn}: ${remediation.description}`,
            );
        }
    }
    for (const note of report.notes) {
        lines.push(`Note: ${note}`);
    }
    lines.push(...noticeLines(report.notices));
    lines.push("");
    lines.push(
        report.failure
            ? `Failed: ${report.failure.message}`
            : report.summary.passed
              ? `Passed: no mandatory violations (${report.summary.advisory} advisory).`
              : `Failed: ${report.summary.mandatory} mandatory violation(s), ${report.summary.advisory} advisory.`,
    );
    return `${lines.join("\n")}\n`;
}

/** Notices stand out from notes: a plan with one is not a clean pass. */
function noticeLines(notices: ReportNotice[]): string[] {
    return notices.length === 0
        ? []
        : ["", ...notices.map((notice) => `WARNING: ${notice.message}`)];
}

/** The policy SDK prefixes each message with the policy's description, shown once above. */
function withoutDescription(message: string, description: string): string {
    const text = message.trim().replace(/\s*\n\s*/g, " ");
    const rest = text.startsWith(description) ? text.slice(description.length).trim() : "";
    return rest === "" ? text : rest;
}

function describe(resource: ReportResource, byUrn: Map<string, ReportResource>): string {
    const flags = [
        resource.protect ? "protect" : undefined,
        resource.retainOnDelete ? "retainOnDelete" : undefined,
        resource.external ? "external" : undefined,
        resource.defaultProvider ? "default provider" : undefined,
    ].filter(Boolean);
    let text = `${resource.type} "${resource.name}"`;
    if (flags.length > 0) text += ` [${flags.join(", ")}]`;
    if (resource.boundKey) {
        const key = byUrn.get(resource.boundKey);
        text += ` -> Secrets encrypted with ${key ? `key "${key.name}"` : `key ${resource.boundKey}`}`;
    }
    return text;
}
