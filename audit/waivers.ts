// Waivers in `ack-kms audit`: the pack's waiver rules (policy/waivers.ts), matched by check id and
// cluster id. A failed check a valid waiver covers is marked waived and no longer fails the
// cluster; one whose waiver expired stays failed, and the run fails with a message naming the
// waiver and its owner. The file is the pack's list ({ policy, resource, reason, owner, expires }),
// with `policy` an audit check id and `resource` a cluster id or pattern.
import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import { expiredWaiverMessage, findWaiver, parseWaivers, Waiver } from "../policy/waivers";
import { AuditedCluster, AuditReport, clusterOutcome, summarize } from "./model";

/**
 * The waivers of a JSON or YAML file (a list, or `{ waivers: [...] }`). Throws one message naming
 * the flag, the file and every rejected entry (a waiver without reason, owner or expiry included).
 */
export function readWaiversFile(file: string, flag = "--waivers"): Waiver[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new Error(`[${flag}] "${file}" cannot be read: ${(error as Error).message}`);
    }
    let value: unknown;
    try {
        value = parseYaml(text) as unknown;
    } catch (error) {
        throw new Error(`[${flag}] "${file}" is not JSON or YAML: ${(error as Error).message}`);
    }
    if (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        "waivers" in value
    ) {
        value = (value as { waivers: unknown }).waivers;
    }
    const parsed = parseWaivers(value, { argument: "waivers" });
    if (parsed.problems.length > 0) {
        throw new Error(`[${flag}] "${file}" has rejected waivers: ${parsed.problems.join(" ")}`);
    }
    return parsed.waivers;
}

function waivedCluster(
    cluster: AuditedCluster,
    waivers: Waiver[],
    now: Date,
    expired: Set<Waiver>,
) {
    const checks = cluster.checks.map((check) => {
        if (check.status !== "fail") {
            return check;
        }
        const found = findWaiver(waivers, { policy: check.id, name: cluster.clusterId }, now);
        if (!found) {
            return check;
        }
        if (found.expired) {
            expired.add(found.waiver);
        }
        const { owner, reason, expires } = found.waiver;
        return { ...check, waiver: { owner, reason, expires, expired: found.expired } };
    });
    return { ...cluster, checks, ...clusterOutcome(checks) };
}

/** The report with the waivers applied; expired waivers that matched are named in `waiverFailures`. */
export function applyWaivers(report: AuditReport, waivers: Waiver[], now: Date): AuditReport {
    if (waivers.length === 0) {
        return report;
    }
    const expired = new Set<Waiver>();
    const clusters = report.clusters.map((c) => waivedCluster(c, waivers, now, expired));
    const waiverFailures = [...expired].map(expiredWaiverMessage);
    const summary = summarize(clusters, report.regionFailures);
    return {
        ...report,
        clusters,
        summary,
        waiverFailures,
        ok:
            summary.failedClusters === 0 &&
            report.regionFailures.length === 0 &&
            waiverFailures.length === 0,
    };
}
