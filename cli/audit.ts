// `ack-kms audit`: the fleet's Secret encryption, cluster by cluster, with the cloud's own APIs.
// The logic lives in audit/; this module turns flags into options and writes the output.
// Exit codes: 0 every cluster passed, 1 a check failed (or a region could not be listed), 2 bad
// usage or refused credentials.
import { Command, InvalidArgumentError, Option } from "commander";
import { credentialsFromEnvironment } from "../cloud/credentials";
import { endpointValue, usageExit } from "./commandLine";
import { parseSince } from "../cloud/verify/since";
import type { AuditReport } from "../audit/model";
import {
    addRegionalEndpoint,
    AuditOptions,
    defaultAuditConcurrency,
    maxAuditConcurrency,
    RegionalEndpoint,
    validRegions,
} from "../audit/options";

export const auditExitCodes = { ok: 0, failed: 1, usage: 2 } as const;

export interface AuditIo {
    env: Record<string, string | undefined>;
    stdout(text: string): void;
    stderr(text: string): void;
    exit?(code: number): void;
    now?(): Date;
}

const processIo: AuditIo = {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};

interface AuditCommandOptions {
    region: string[];
    allRegions?: boolean;
    since?: string;
    format: "table" | "json" | "sarif" | "html";
    concurrency: string;
    timeout: string;
    expiryWarningDays: string;
    csEndpoint?: RegionalEndpoint;
    kmsEndpoint?: RegionalEndpoint;
    actiontrailEndpoint?: RegionalEndpoint;
    ramEndpoint?: string;
    bssEndpoint?: string;
    fix?: boolean;
    enableEncryption?: boolean;
    key?: string;
    cluster: string[];
    yes?: boolean;
    waivers?: string;
}

function collect(value: string, previous: string[] = []): string[] {
    return [...previous, value];
}

function regionalEndpoint(flag: string) {
    return (value: string, previous?: RegionalEndpoint): RegionalEndpoint => {
        let next: RegionalEndpoint;
        try {
            next = addRegionalEndpoint(flag, value, previous);
        } catch (error) {
            throw new InvalidArgumentError((error as Error).message);
        }
        const url = value.includes("=") ? value.slice(value.indexOf("=") + 1) : value;
        endpointValue(url);
        return next;
    };
}

function integerIn(min: number, max: number) {
    return (value: string): string => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < min || n > max) {
            throw new InvalidArgumentError(`use a whole number from ${min} to ${max}.`);
        }
        return value;
    };
}

/** Flag combinations commander cannot express; the message names the flags. */
export function usageProblem(options: AuditCommandOptions): string | undefined {
    if (options.region.length === 0 && !options.allRegions) {
        return "[--region] none given: name at least one region (--region cn-hangzhou) or use --all-regions.";
    }
    if (options.enableEncryption && !options.fix) {
        return "[--enable-encryption] needs --fix: it is one of the fixes.";
    }
    if (options.enableEncryption && (!options.key || options.cluster.length === 0)) {
        return "[--enable-encryption] needs --key <id> and at least one --cluster <id>: encryption is turned on only for clusters named.";
    }
    if ((options.key || options.cluster.length > 0) && !options.enableEncryption) {
        return "[--key] and [--cluster] only go with --fix --enable-encryption.";
    }
    if (options.yes && !options.fix) {
        return "[--yes] applies fixes: use it with --fix.";
    }
    return undefined;
}

function render(report: AuditReport, format: AuditCommandOptions["format"]): string {
    /* eslint-disable @typescript-eslint/no-require-imports */
    switch (format) {
        case "json":
            return JSON.stringify(report, null, 2) + "\n";
        case "sarif": {
            const { renderAuditSarif } =
                require("../audit/render/sarif") as typeof import("../audit/render/sarif");
            return JSON.stringify(renderAuditSarif(report), null, 2) + "\n";
        }
        case "html": {
            const { renderAuditHtml } =
                require("../audit/render/html") as typeof import("../audit/render/html");
            return renderAuditHtml(report);
        }
        default: {
            const { renderAuditTable } =
                require("../audit/render/table") as typeof import("../audit/render/table");
            return renderAuditTable(report);
        }
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Runs the audit for parsed options; returns the exit code. */
export async function runAuditCommand(options: AuditCommandOptions, io: AuditIo): Promise<number> {
    const problem = usageProblem(options);
    if (problem) {
        io.stderr(`ack-kms audit: ${problem}\n`);
        return auditExitCodes.usage;
    }
    // The SDKs load only when an audit runs.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { runAudit, AuditCredentialError } =
        require("../audit/run") as typeof import("../audit/run");
    const { planFixes, applyFixes, describeFix } =
        require("../audit/fix") as typeof import("../audit/fix");
    const { applyWaivers, readWaiversFile } =
        require("../audit/waivers") as typeof import("../audit/waivers");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const now = io.now?.() ?? new Date();
    let auditOptions: AuditOptions;
    let waivers: ReturnType<typeof readWaiversFile> = [];
    try {
        waivers = options.waivers ? readWaiversFile(options.waivers) : [];
        auditOptions = {
            regions: validRegions(options.region),
            allRegions: options.allRegions,
            credentials: credentialsFromEnvironment(io.env),
            since: options.since ? parseSince(options.since, now) : undefined,
            now: () => now,
            concurrency: Number(options.concurrency),
            timeoutMs: Number(options.timeout) * 1000,
            expiryWarningDays: Number(options.expiryWarningDays),
            endpoints: {
                cs: options.csEndpoint,
                kms: options.kmsEndpoint,
                actiontrail: options.actiontrailEndpoint,
                ram: options.ramEndpoint,
                bss: options.bssEndpoint,
            },
            progress: (message) => io.stderr(`ack-kms audit: ${message}\n`),
        };
    } catch (error) {
        io.stderr(`ack-kms audit: ${(error as Error).message}\n`);
        return auditExitCodes.usage;
    }
    let report: AuditReport;
    try {
        report = applyWaivers(await runAudit(auditOptions), waivers, now);
    } catch (error) {
        if (error instanceof AuditCredentialError) {
            io.stderr(`ack-kms audit: the credentials were refused: ${error.message}\n`);
            return auditExitCodes.usage;
        }
        io.stderr(`ack-kms audit: ${(error as Error).message}\n`);
        return auditExitCodes.failed;
    }
    io.stdout(render(report, options.format));
    for (const message of report.waiverFailures ?? []) {
        io.stderr(`ack-kms audit: ${message}\n`);
    }
    let fixesFailed = false;
    if (options.fix) {
        let fixes;
        try {
            fixes = planFixes(report, {
                enableEncryptionFor: options.enableEncryption ? options.cluster : undefined,
                keyId: options.key,
            });
        } catch (error) {
            io.stderr(`ack-kms audit: ${(error as Error).message}\n`);
            return auditExitCodes.usage;
        }
        io.stderr(
            fixes.length === 0
                ? "ack-kms audit: no safe fix to apply.\n"
                : `ack-kms audit: ${fixes.length} fixes${options.yes ? "" : " (dry run: add --yes to apply)"}:\n` +
                      fixes.map((f) => `  - ${describeFix(f)}\n`).join(""),
        );
        if (options.yes && fixes.length > 0) {
            const outcomes = await applyFixes(fixes, auditOptions);
            for (const outcome of outcomes) {
                io.stderr(
                    `ack-kms audit: ${outcome.applied ? "applied" : "not applied"}: ${describeFix(outcome.fix)}: ${outcome.message}\n`,
                );
            }
            fixesFailed = outcomes.some((o) => !o.applied && o.message !== "already on");
        }
    }
    return report.ok && !fixesFailed ? auditExitCodes.ok : auditExitCodes.failed;
}

/** The `audit` subcommand; `io` is for tests. */
export function auditCommand(io: AuditIo = processIo): Command {
    return new Command("audit")
        .description(
            "Audit every ACK cluster the credentials can see: verify's checks on each (encryption on, the key Enabled, " +
                "deletion-protected and rotating, a RAM Deny of cs:UpdateKMSEncryption, ActionTrail with --since), plus the key's " +
                "KMS instance renewing, its key policy not denying AliyunCSManagedSecurityRole, and no RAM principal able to " +
                "disable, delete or unprotect it without a Deny. Exits 0 when all pass, 1 when any fails, 2 on usage or credential errors.",
        )
        .option("--region <region>", "a region to audit (repeat for more)", collect, [])
        .option("--all-regions", "also audit every region ACK's DescribeRegions lists")
        .option(
            "--since <when>",
            "also check ActionTrail for KMS use since then (24h, 7d, or an ISO time)",
        )
        .addOption(
            new Option("--format <format>", "output format")
                .choices(["table", "json", "sarif", "html"])
                .default("table"),
        )
        .option(
            "--concurrency <n>",
            `clusters checked at once (1-${maxAuditConcurrency})`,
            integerIn(1, maxAuditConcurrency),
            String(defaultAuditConcurrency),
        )
        .option("--timeout <seconds>", "timeout of each API call", integerIn(1, 600), "10")
        .option(
            "--expiry-warning-days <days>",
            "a KMS instance without auto-renewal fails this many days before its end",
            integerIn(0, 365),
            "30",
        )
        .option(
            "--cs-endpoint <url>",
            "Container Service endpoint: URL, or REGION=URL (repeatable)",
            regionalEndpoint("--cs-endpoint"),
        )
        .option(
            "--kms-endpoint <url>",
            "KMS endpoint: URL, or REGION=URL (repeatable)",
            regionalEndpoint("--kms-endpoint"),
        )
        .option(
            "--actiontrail-endpoint <url>",
            "ActionTrail endpoint: URL, or REGION=URL (repeatable)",
            regionalEndpoint("--actiontrail-endpoint"),
        )
        .option("--ram-endpoint <url>", "RAM endpoint (default ram.aliyuncs.com)", endpointValue)
        .option(
            "--bss-endpoint <url>",
            "billing endpoint (default business.aliyuncs.com)",
            endpointValue,
        )
        .option(
            "--fix",
            "list the safe fixes (deletion protection on for bound keys); a dry run without --yes",
        )
        .option(
            "--enable-encryption",
            "with --fix: turn Secret encryption on for the --cluster clusters with --key",
        )
        .option("--key <id>", "the KMS key for --enable-encryption")
        .option("--cluster <id>", "a cluster for --enable-encryption (repeatable)", collect, [])
        .option("--yes", "apply the fixes")
        .option(
            "--waivers <file>",
            "accepted findings, JSON or YAML: [{ policy: <check id>, resource: <cluster id or pattern>, reason, owner, expires: YYYY-MM-DD }]",
        )
        .exitOverride(usageExit(auditExitCodes.usage))
        .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
        .action(async (options: AuditCommandOptions) => {
            const code = await runAuditCommand(options, io);
            if (io.exit) {
                io.exit(code);
            } else {
                process.exitCode = code;
            }
        });
}
