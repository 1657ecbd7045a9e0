// The audit as a table: one row per cluster, its failed checks under it, and the summary line.
import { AuditReport, isOpenFailure } from "../model";
import { printable } from "./escape";

function pad(text: string, width: number): string {
    return text.length >= width ? text : text + " ".repeat(width - text.length);
}

export function summaryLine(report: AuditReport): string {
    const s = report.summary;
    const regionNote = s.regionsFailed > 0 ? `, ${s.regionsFailed} regions not listed` : "";
    return (
        `${s.clusters} clusters, ${s.unencrypted} unencrypted, ${s.keysAtRisk} keys at risk, ` +
        `${s.failedClusters} failing${regionNote}`
    );
}

export function renderAuditTable(report: AuditReport): string {
    const header = ["CLUSTER", "NAME", "REGION", "SPEC", "KEY", "RESULT", "FAILED CHECKS"];
    const rows = report.clusters.map((c) =>
        [
            c.clusterId,
            c.name,
            c.regionId,
            c.clusterSpec || "-",
            c.keyId ?? "-",
            c.ok ? "PASS" : "FAIL",
            c.checks
                .filter((check) => check.status === "fail")
                .map((check) => check.id)
                .join(",") || "-",
        ].map(printable),
    );
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
        cells.map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i]))).join("  ");
    const lines = [
        `ack-kms audit: ${report.regions.length} regions (${report.regions.map(printable).join(", ")})`,
        "",
        line(header),
        ...rows.map(line),
    ];
    for (const failure of report.regionFailures) {
        lines.push(
            "",
            `[FAIL] ${printable(failure.regionId)}: could not list clusters: ${printable(failure.message)}`,
        );
    }
    for (const message of report.waiverFailures ?? []) {
        lines.push("", `[FAIL] ${printable(message)}`);
    }
    const failing = report.clusters.filter((c) => !c.ok);
    if (failing.length > 0) {
        lines.push("", "Fixes:");
        for (const cluster of failing) {
            for (const check of cluster.checks.filter(isOpenFailure)) {
                lines.push(
                    `  ${printable(cluster.clusterId)} ${check.id}: ${printable(check.detail)}`,
                );
                if (check.fix) {
                    lines.push(`      fix: ${printable(check.fix)}`);
                }
            }
        }
    }
    lines.push("", summaryLine(report));
    return lines.join("\n") + "\n";
}
