// What the benches that run `ack-kms` share: the command that starts it, and the median they report.
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
