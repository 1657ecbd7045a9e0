// Runs `ack-kms plan --format json` on the same program and puts its verdict in the shape the
// real engine's events are compared in (realEngine.ts).
import type { PlanReport } from "../../../offline/report/model";
import { ackKms } from "../../plan/support";
import type { Finding } from "./realEngine";

export interface PlanOutcomeForDiff {
    exitCode: number | null;
    findings: Finding[];
    report?: PlanReport;
    stderr: string;
}

export function runPlan(
    programDir: string,
    options: {
        stack?: string;
        config?: string[];
        policyPacks?: string[];
        policyPackConfigs?: string[];
        mode?: "preview" | "update";
        args?: string[];
        tags?: string[];
        stackReferences?: string[];
    } = {},
): PlanOutcomeForDiff {
    const result = ackKms(
        [
            "plan",
            programDir,
            "--stack",
            options.stack ?? "dev",
            "--format",
            "json",
            "--transpile-only",
            "--mode",
            options.mode ?? "preview",
            ...(options.config ?? []).flatMap((c) => ["--config", c]),
            ...(options.policyPacks ?? []).flatMap((p) => ["--policy-pack", p]),
            ...(options.policyPackConfigs ?? []).flatMap((c) => ["--policy-config", c]),
            ...(options.tags ?? []).flatMap((t) => ["--tag", t]),
            ...(options.stackReferences ?? []).flatMap((r) => ["--stack-reference", r]),
            ...(options.args ?? []),
        ],
        {},
        300_000,
    );
    let report: PlanReport | undefined;
    try {
        report = JSON.parse(result.stdout) as PlanReport;
    } catch {
        report = undefined;
    }
    const findings = (report?.violations ?? []).map((v) => ({
        policy: v.policy,
        level: v.enforcementLevel,
        urn: v.urn ?? "",
        message: v.message.trim(),
    }));
    return { exitCode: result.status, findings, report, stderr: result.stderr };
}

/** A finding as one comparable line. */
export function findingKey(f: Finding): string {
    return `${f.policy} [${f.level}] ${f.urn}: ${f.message.replace(/\n/g, " | ")}`;
}

/** Sorted, de-duplicated finding lines. */
export function findingSet(findings: Finding[]): string[] {
    return [...new Set(findings.map(findingKey))].sort();
}
