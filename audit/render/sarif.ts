// The audit as SARIF 2.1.0: one rule per check, one result per failed check of a cluster, located
// logically at the cluster (`acs:cs:<region>:*:cluster/<id>`); no source file is involved.
import { createHash } from "crypto";
import type { AuditReport } from "../model";

export const auditSarifToolName = "ack-kms audit";

export function renderAuditSarif(
    report: AuditReport,
    toolVersion?: string,
): Record<string, unknown> {
    const rules: Array<Record<string, unknown>> = [];
    const ruleIndex = new Map<string, number>();
    for (const cluster of report.clusters) {
        for (const check of cluster.checks) {
            if (!ruleIndex.has(check.id)) {
                ruleIndex.set(check.id, rules.length);
                rules.push({ id: check.id, shortDescription: { text: check.title } });
            }
        }
    }
    const results = report.clusters.flatMap((cluster) =>
        cluster.checks
            .filter((check) => check.status === "fail")
            .map((check) => ({
                ruleId: check.id,
                ruleIndex: ruleIndex.get(check.id),
                level: "error",
                message: { text: check.fix ? `${check.detail}. ${check.fix}` : check.detail },
                locations: [
                    {
                        logicalLocations: [
                            {
                                name: cluster.clusterId,
                                fullyQualifiedName: `acs:cs:${cluster.regionId}:*:cluster/${cluster.clusterId}`,
                                kind: "resource",
                            },
                        ],
                    },
                ],
                partialFingerprints: {
                    "ackKmsAuditFinding/v1": createHash("sha256")
                        .update(`${cluster.regionId}\u0000${cluster.clusterId}\u0000${check.id}`)
                        .digest("hex"),
                },
                ...(check.waiver && !check.waiver.expired
                    ? {
                          suppressions: [
                              {
                                  kind: "external",
                                  status: "accepted",
                                  justification: `${check.waiver.reason} (owner ${check.waiver.owner}, until ${check.waiver.expires})`,
                              },
                          ],
                      }
                    : {}),
                properties: { regionId: cluster.regionId, clusterName: cluster.name },
            })),
    );
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: auditSarifToolName,
                        ...(toolVersion ? { version: toolVersion } : {}),
                        rules,
                    },
                },
                invocations: [
                    {
                        executionSuccessful: report.regionFailures.length === 0,
                        toolExecutionNotifications: report.regionFailures.map((f) => ({
                            level: "error",
                            message: {
                                text: `${f.regionId}: could not list clusters: ${f.message}`,
                            },
                        })),
                    },
                ],
                results,
            },
        ],
    };
}
