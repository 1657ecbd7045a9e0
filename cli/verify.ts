// `ack-kms verify`: checks a live cluster's Secret encryption with the cloud's own APIs and prints a
// checklist. Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 bad usage or
// no credentials.

import { Command, InvalidArgumentError, Option } from "commander";
import { credentialsFromEnvironment } from "../cloud/credentials";
import type { CheckResult, VerifyReport } from "../cloud/verify/results";
import { parseSince } from "../cloud/verify/since";
import { endpointValue, usageExit } from "./commandLine";

export const verifyExitCodes = { ok: 0, failed: 1, usage: 2 } as const;

const marks: Record<CheckResult["status"], string> = {
    pass: "PASS",
    fail: "FAIL",
    warn: "WARN",
    skip: "SKIP",
};

/** The checklist as text: one line per check, the fix under each failure or warning. */
export function formatVerifyText(report: VerifyReport): string {
    const lines = [
        `ack-kms verify: cluster ${report.clusterId} in ${report.regionId} (ActionTrail since ${report.since})`,
        "",
    ];
    for (const check of report.checks) {
        lines.push(`[${marks[check.status]}] ${check.title}: ${check.detail}`);
        if (check.fix) {
            lines.push(`       fix: ${check.fix}`);
        }
    }
    const count = (status: CheckResult["status"]) =>
        report.checks.filter((c) => c.status === status).length;
    lines.push(
        "",
        `${count("pass")} passed, ${count("fail")} failed, ${count("warn")} warnings, ${count("skip")} skipped: ` +
            (report.ok ? "Secret encryption is live and protected." : "see the fixes above."),
    );
    return lines.join("\n") + "\n";
}

interface VerifyCommandOptions {
    cluster: string;
    region: string;
    since: string;
    format: "text" | "json";
    csEndpoint?: string;
    kmsEndpoint?: string;
    actiontrailEndpoint?: string;
    ramEndpoint?: string;
    timeout: string;
}

export interface VerifyIo {
    env: Record<string, string | undefined>;
    stdout(text: string): void;
    stderr(text: string): void;
    /** Receives the exit code once the checks ran. Defaults to setting `process.exitCode`. */
    exit?(code: number): void;
    now?(): Date;
}

const processIo: VerifyIo = {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};

function positiveSeconds(value: string): string {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
        throw new InvalidArgumentError("use a number of seconds from 1 to 600.");
    }
    return value;
}

/** Runs the checks for parsed options; returns the exit code. */
export async function runVerify(options: VerifyCommandOptions, io: VerifyIo): Promise<number> {
    // The checks load the Alibaba Cloud SDKs: only `verify` pays for that, not every command.
    const { runVerifyChecks } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("../cloud/verify/run") as typeof import("../cloud/verify/run");
    const now = io.now?.() ?? new Date();
    let since: Date;
    let credentials;
    try {
        since = parseSince(options.since, now);
        credentials = credentialsFromEnvironment(io.env);
    } catch (error) {
        io.stderr(`ack-kms verify: ${(error as Error).message}\n`);
        return verifyExitCodes.usage;
    }
    const timeoutMs = Number(options.timeout) * 1000;
    const report = await runVerifyChecks({
        clusterId: options.cluster,
        regionId: options.region,
        since,
        credentials,
        timeoutMs,
        now: () => now,
        endpoints: {
            cs: options.csEndpoint,
            kms: options.kmsEndpoint,
            actiontrail: options.actiontrailEndpoint,
            ram: options.ramEndpoint,
        },
    });
    io.stdout(
        options.format === "json"
            ? JSON.stringify(report, null, 2) + "\n"
            : formatVerifyText(report),
    );
    return report.ok ? verifyExitCodes.ok : verifyExitCodes.failed;
}

/** The `verify` subcommand; `io` is for tests. */
export function verifyCommand(io: VerifyIo = processIo): Command {
    return (
        new Command("verify")
            .description(
                "Check that Secret encryption is live on an ACK cluster: encryption on with a named key; the key Enabled, " +
                    "deletion-protected and rotating; ActionTrail Encrypt/Decrypt events by aliyuncsmanagedsecurityrole; " +
                    "a RAM Deny policy for cs:UpdateKMSEncryption. Credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET " +
                    "(or ALICLOUD_ACCESS_KEY/ALICLOUD_SECRET_KEY). Exits 0 when every check passes, 1 when one fails, 2 on bad usage.",
            )
            .requiredOption("--cluster <id>", "ACK cluster id")
            .requiredOption(
                "--region <region>",
                "region of the cluster and its key, e.g. cn-hangzhou",
            )
            .option(
                "--since <when>",
                "look for ActionTrail events since a duration ago (30m, 24h, 7d) or an ISO time",
                "24h",
            )
            .addOption(
                new Option("--format <format>", "output format")
                    .choices(["text", "json"])
                    .default("text"),
            )
            .option(
                "--cs-endpoint <url>",
                "Container Service endpoint (default cs.<region>.aliyuncs.com)",
                endpointValue,
            )
            .option(
                "--kms-endpoint <url>",
                "KMS endpoint (default kms.<region>.aliyuncs.com)",
                endpointValue,
            )
            .option(
                "--actiontrail-endpoint <url>",
                "ActionTrail endpoint (default actiontrail.<region>.aliyuncs.com)",
                endpointValue,
            )
            .option(
                "--ram-endpoint <url>",
                "RAM endpoint (default ram.aliyuncs.com)",
                endpointValue,
            )
            .option(
                "--timeout <seconds>",
                "timeout of each API call, in seconds",
                positiveSeconds,
                "10",
            )
            // Commander's usage errors exit 2 here, as documented; help and version stay 0.
            .exitOverride(usageExit(verifyExitCodes.usage))
            .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
            .action(async (options: VerifyCommandOptions) => {
                const code = await runVerify(options, io);
                if (io.exit) {
                    io.exit(code);
                } else {
                    process.exitCode = code;
                }
            })
    );
}
