// The plan's violations as SARIF 2.1.0 (OASIS), the format GitHub code scanning uploads: one rule
// per policy, one result per violation, located at the program's entry file (at the line that names
// the resource, when the entry file does) and, logically, at the resource's URN.
import { createHash } from "crypto";
import * as fs from "fs";
import {
    PlanFailureReport,
    PlanReport,
    ReportFailure,
    ReportNotice,
    ReportViolation,
} from "./model";

export const sarifSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
export const sarifToolName = "ack-kms plan";

type SarifLevel = "error" | "warning" | "note" | "none";

export interface SarifOptions {
    /** Reads the program's entry file to find the line naming a resource; defaults to fs. */
    readFile?: (file: string) => string | undefined;
    /** The version of ack-kms. */
    toolVersion?: string;
}

export function levelOf(enforcementLevel: string): SarifLevel {
    switch (enforcementLevel) {
        case "mandatory":
        case "remediate":
            return "error";
        case "advisory":
            return "warning";
        default:
            return "none";
    }
}

export function renderSarif(
    report: PlanReport,
    options: SarifOptions = {},
): Record<string, unknown> {
    const readFile =
        options.readFile ??
        ((file: string) => {
            try {
                return fs.readFileSync(file, "utf8");
            } catch {
                return undefined;
            }
        });
    const source = readFile(report.programFile);
    const sourceLines = source?.split("\n") ?? [];

    // One rule per policy of every pack, so a clean run still lists what was checked.
    const rules: Array<Record<string, unknown>> = [];
    const ruleIndex = new Map<string, number>();
    const policyNames = report.policyPacks.flatMap((p) => p.policies.map((policy) => policy.name));
    const ruleIdOf = (pack: string, policy: string) =>
        policyNames.filter((n) => n === policy).length > 1 ? `${pack}/${policy}` : policy;
    for (const pack of report.policyPacks) {
        for (const policy of pack.policies) {
            const id = ruleIdOf(pack.name, policy.name);
            ruleIndex.set(`${pack.name}\u0000${policy.name}`, rules.length);
            rules.push({
                id,
                name: policy.name,
                shortDescription: { text: policy.description },
                defaultConfiguration: { level: levelOf(policy.enforcementLevel) },
                properties: {
                    policyPack: pack.name,
                    policyPackVersion: pack.version,
                    enforcementLevel: policy.enforcementLevel,
                    tags: ["security", "pulumi-policy"],
                },
            });
        }
    }

    const results = report.violations.map((violation) => {
        const key = `${violation.policyPack}\u0000${violation.policy}`;
        const index = ruleIndex.get(key);
        const line = violation.resourceName
            ? lineNaming(sourceLines, violation.resourceName)
            : undefined;
        return {
            ruleId: ruleIdOf(violation.policyPack, violation.policy),
            ...(index !== undefined ? { ruleIndex: index } : {}),
            level: levelOf(violation.enforcementLevel),
            message: { text: messageOf(violation) },
            locations: [
                {
                    physicalLocation: {
                        artifactLocation: { uri: report.programFile },
                        ...(line ? { region: { startLine: line } } : {}),
                    },
                    ...(violation.urn
                        ? {
                              logicalLocations: [
                                  {
                                      name: violation.resourceName ?? violation.urn,
                                      fullyQualifiedName: violation.urn,
                                      kind: "resource",
                                  },
                              ],
                          }
                        : {}),
                },
            ],
            partialFingerprints: { "ackKmsPlanViolation/v1": fingerprint(violation) },
            // A waiver in the policy config: code scanning shows the result as suppressed.
            ...(violation.waived
                ? {
                      suppressions: [
                          {
                              kind: "external",
                              status: "accepted",
                              justification: `${violation.waived.reason} (owner ${violation.waived.owner}, until ${violation.waived.expires})`,
                          },
                      ],
                  }
                : {}),
            properties: {
                enforcementLevel: violation.enforcementLevel,
                policyPack: violation.policyPack,
                ...(violation.resourceType ? { resourceType: violation.resourceType } : {}),
            },
        };
    });

    return sarifLog(options.toolVersion, rules, {
        automationDetails: automationDetails(report.project, report.stack),
        invocations: [invocation(report.notices, report.failure)],
        results,
    });
}

/**
 * A plan that failed before it had a report, as SARIF: no rules nor results, and an invocation
 * that did not succeed, with the failure as its notification, so code scanning shows it.
 */
export function renderSarifFailure(
    report: PlanFailureReport,
    options: Pick<SarifOptions, "toolVersion"> = {},
): Record<string, unknown> {
    return sarifLog(options.toolVersion, [], {
        ...(report.project && report.stack
            ? { automationDetails: automationDetails(report.project, report.stack) }
            : {}),
        invocations: [invocation(report.notices, report.failure)],
        results: [],
    });
}

/** The SARIF log of one run of ack-kms plan. */
function sarifLog(
    toolVersion: string | undefined,
    rules: unknown[],
    run: Record<string, unknown>,
): Record<string, unknown> {
    return {
        $schema: sarifSchemaUri,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: sarifToolName,
                        ...(toolVersion ? { version: toolVersion } : {}),
                        rules,
                    },
                },
                ...run,
            },
        ],
    };
}

function automationDetails(project: string, stack: string) {
    return { id: `ack-kms-plan/${project}/${stack}/` };
}

/** The run's invocation: notices as warnings; a failure makes it unsuccessful, with exit code 2. */
function invocation(notices: ReportNotice[], failure: ReportFailure | undefined) {
    const notifications = [
        ...(failure
            ? [
                  {
                      level: "error",
                      message: { text: failure.message },
                      descriptor: { id: `ack-kms-plan/${failure.stage}` },
                  },
              ]
            : []),
        ...notices.map((notice) => ({
            level: notice.level,
            message: { text: notice.message },
            descriptor: { id: `ack-kms-plan/${notice.id}` },
        })),
    ];
    return {
        executionSuccessful: failure === undefined,
        ...(failure ? { exitCode: 2 } : {}),
        ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
    };
}

function messageOf(violation: ReportViolation): string {
    const where = violation.urn ? ` (${violation.resourceType} "${violation.resourceName}")` : "";
    return `${violation.message.trim()}${where}`;
}

/** Stable across runs and line moves: the same finding on the same resource keeps its alert. */
function fingerprint(violation: ReportViolation): string {
    return createHash("sha256")
        .update(
            [violation.policyPack, violation.policy, violation.urn ?? "", violation.message].join(
                "\u0000",
            ),
        )
        .digest("hex")
        .slice(0, 32);
}

/** The first line that names the resource as a string literal, 1-based. */
function lineNaming(lines: string[], name: string): number | undefined {
    const quoted = [`"${name}"`, `'${name}'`, `\`${name}\``];
    const index = lines.findIndex((line) => quoted.some((q) => line.includes(q)));
    return index >= 0 ? index + 1 : undefined;
}
