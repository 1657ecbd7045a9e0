// What the benches that run `ack-kms` share: the command that starts it, one timed run, and the
// median they report.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");

/** The built CLI when `npm run build` has run, as users run it; else from source through ts-node. */
export function cliCommand(): string[] {
    const built = path.join(root, "lib/cli/index.js");
    return fs.existsSync(built)
        ? [path.join(root, "bin/ack-kms.js")]
        : ["-r", "ts-node/register/transpile-only", path.join(root, "cli/index.ts")];
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `command` to its end and returns its wall time in ms. An exit other than 0 or 1 (plan's
 * pass and its violations) fails the bench, with what the command printed on stderr.
 */
export function timedRun(
    command: string,
    args: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
): number {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { ...options, encoding: "utf8", maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0 && result.status !== 1) {
        throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    }
    return ms;
}
