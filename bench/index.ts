// `npm run bench`: every benchmark, one after the other, each in its own process so that one's
// warm caches never flatter another's figures. Each prints its own table with its baseline from
// the same run; see the header comment of each bench/<name>/index.ts for what it compares.
import { spawnSync } from "child_process";
import * as path from "path";

const benches = ["audit", "guard", "plan", "policy-pack", "scale"];
const only = process.argv.slice(2);
let failed = 0;
for (const name of only.length > 0 ? only : benches) {
    console.log(`\n=== bench/${name}`);
    const result = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(__dirname, name, "index.ts")],
        { stdio: "inherit" },
    );
    if (result.status !== 0) {
        console.error(`bench/${name} failed (exit ${result.status ?? result.signal}).`);
        failed++;
    }
}
process.exitCode = failed > 0 ? 1 : 0;
