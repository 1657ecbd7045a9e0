// The audit as one self-contained HTML page (no scripts, no external assets): the summary as tiles,
// a row per cluster colored by result, and each cluster's checks in a <details> with the fixes.
// Every value from the cloud is escaped.
import { AuditCheck, AuditReport, isOpenFailure } from "../model";
import { summaryLine } from "./table";
import { escapeHtml as e } from "./escape";

const styles = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1f2328;background:#f6f8fa}
h1{font-size:1.4rem;margin:0 0 .25rem}.meta{color:#59636e;margin-bottom:1.25rem}
.tiles{display:flex;gap:1rem;flex-wrap:wrap;margin-bottom:1.5rem}
.tile{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:.75rem 1.25rem;min-width:9rem}
.tile b{display:block;font-size:1.6rem}.tile.bad b{color:#cf222e}.tile.good b{color:#1a7f37}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d1d9e0}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f0f3f6;font-weight:600}tr.fail td:first-child{border-left:4px solid #cf222e}
tr.pass td:first-child{border-left:4px solid #1a7f37}
.badge{border-radius:2em;padding:0 .6em;font-size:.8rem;font-weight:600}
.b-pass{background:#dafbe1;color:#116329}.b-fail{background:#ffebe9;color:#a40e26}
.b-warn{background:#fff8c5;color:#7d4e00}.b-skip{background:#eaeef2;color:#59636e}
details summary{cursor:pointer}ul{margin:.4rem 0 0 1rem;padding:0}li{margin:.2rem 0}.fix{color:#59636e}
code{font-family:ui-monospace,Menlo,monospace;font-size:.9em}`;

function badge(check: AuditCheck): string {
    const waived = check.status === "fail" && !isOpenFailure(check);
    const kind = waived ? "warn" : check.status;
    return `<span class="badge b-${kind}">${waived ? "WAIVED" : check.status.toUpperCase()}</span>`;
}

export function renderAuditHtml(report: AuditReport): string {
    const s = report.summary;
    const tile = (label: string, value: number, bad: boolean) =>
        `<div class="tile ${bad ? "bad" : "good"}"><b>${value}</b>${e(label)}</div>`;
    const rows = report.clusters
        .map((c) => {
            const failed = c.checks.filter(isOpenFailure).length;
            const checks = c.checks
                .map(
                    (check) =>
                        `<li>${badge(check)} ${e(check.title)}: ${e(check.detail)}` +
                        (check.waiver
                            ? `<div class="fix">Waiver${check.waiver.expired ? " (expired)" : ""}: ${e(check.waiver.reason)}, owner ${e(check.waiver.owner)}, until ${e(check.waiver.expires)}</div>`
                            : "") +
                        (check.fix ? `<div class="fix">Fix: ${e(check.fix)}</div>` : "") +
                        `</li>`,
                )
                .join("");
            return (
                `<tr class="${c.ok ? "pass" : "fail"}"><td><code>${e(c.clusterId)}</code><br>${e(c.name)}</td>` +
                `<td>${e(c.regionId)}</td><td>${e(c.clusterSpec || "-")}</td><td><code>${e(c.keyId ?? "-")}</code></td>` +
                `<td><span class="badge b-${c.ok ? "pass" : "fail"}">${c.ok ? "PASS" : "FAIL"}</span></td>` +
                `<td><details${c.ok ? "" : " open"}><summary>${c.checks.length} checks, ${failed} failed</summary><ul>${checks}</ul></details></td></tr>`
            );
        })
        .join("\n");
    const regionFailures = [
        ...report.regionFailures.map(
            (f) => `<li><b>${e(f.regionId)}</b>: could not list clusters: ${e(f.message)}</li>`,
        ),
        ...(report.waiverFailures ?? []).map((m) => `<li>${e(m)}</li>`),
    ].join("");
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>ack-kms audit: ${e(summaryLine(report))}</title><style>${styles}</style></head>
<body><h1>ack-kms audit</h1>
<div class="meta">${e(report.generatedAt)} &middot; ${report.regions.length} regions: ${e(report.regions.join(", "))} &middot; ${report.stats.apiCalls} API calls, ${report.stats.throttled} throttled and retried</div>
<div class="tiles">${tile("clusters", s.clusters, false)}${tile("unencrypted", s.unencrypted, s.unencrypted > 0)}${tile("keys at risk", s.keysAtRisk, s.keysAtRisk > 0)}${tile("failing clusters", s.failedClusters, s.failedClusters > 0)}</div>
${regionFailures ? `<ul class="regions">${regionFailures}</ul>` : ""}
<table><thead><tr><th>Cluster</th><th>Region</th><th>Spec</th><th>Key</th><th>Result</th><th>Checks</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p>${e(summaryLine(report))}</p>
</body></html>
`;
}
