// The policy pack runs from its compiled entry (policy/lib/index.js), as the Pulumi CLI runs it.
// Tests run after editing the pack without `npm run build` would judge old code, so this rebuilds
// policy/lib first whenever a source is newer than its compiled file.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const packDir = path.resolve(__dirname, "../../policy");

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "lib" || entry.name === "node_modules" ? [] : sources(full);
        }
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

function isStale(source: string): boolean {
    const compiled = path
        .join(packDir, "lib", path.relative(packDir, source))
        .replace(/\.ts$/, ".js");
    return !fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(source).mtimeMs;
}

const stale = sources(packDir).filter(isStale);
if (stale.length > 0) {
    process.stderr.write(
        `policy/lib is older than ${path.relative(packDir, stale[0])}${stale.length > 1 ? ` and ${stale.length - 1} more` : ""}: rebuilding it (npm run build).\n`,
    );
    const tsc = require.resolve("typescript/bin/tsc");
    const build = spawnSync(
        process.execPath,
        [tsc, "-p", path.join(packDir, "tsconfig.build.json")],
        { stdio: "inherit" },
    );
    if (build.status !== 0) {
        throw new Error("Building the policy pack failed: see the compiler's output above.");
    }
}
