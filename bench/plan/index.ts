// bench/plan (issue 4): `ack-kms plan` on the reference stack (examples/new-cluster) against a bare
// program that declares the same alicloud resources directly under the SDK's mocks; target <= 1.3x.
// Every figure is one whole process run, start to exit, as a user or CI sees it, all measured in the
// same run and interleaved, so drifting load on the shared machine hits every variant alike.
//
//   npx ts-node --transpile-only bench/plan/index.ts [--runs 7] [--engine-runs 3] [--engine-only]
//       [--mechanisms-only] [--mechanism-runs 9]
//
// Then what each of the program host's speed mechanisms saves (bench/plan/mechanisms.ts), and the
// real engine's own preview of the reference stack against plan's (bench/plan/realEngine.ts).
//
// Figures (median of the runs):
//   bare          one node process: ts-node, the SDK mocks, one `new alicloud.X(name, inputs)` per
//                 alicloud resource the reference stack registers, with the inputs it registers;
//   reference     the reference program itself (its components from the built lib/, as the example
//                 imports them by package name) under the SDK's plain mocks, one process: what
//                 running this program costs before plan adds anything;
//   program only  `ack-kms plan` without a policy pack: CLI process, the program's process (started
//                 first, loading the SDK while the CLI reads the project), the SDK's own program
//                 runner, capture, report;
//   with pack     plus the project's policy pack, started as the Pulumi CLI starts it (its launcher
//                 type-checks the TypeScript pack) while the program runs, and driven over gRPC.
// Why it is fair: both sides compile TypeScript the same way, transpile-only
// (PULUMI_NODEJS_TRANSPILE_ONLY=true for plan, ts-node's transpile-only for the bare program), so the
// ratio measures ack-kms, not the type checker; the type-checked figures (the Pulumi CLI's default)
// are printed too, each against the type-checked bare program. Both load the TypeScript compiler
// through v8-compile-cache-lib (ts-node does for the bare program, plan's program host does the
// same), whose cache is warm after the first run: the "cold cache" pair gives each run an empty
// cache folder, as on a fresh CI machine. The bare program is the floor: the same resources with
// no components, no capture, no report. "reference" splits the gap into what the program's
// components cost and what plan itself adds.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProgram } from "../../offline/program/runProgram";
import { BareResource } from "./bareProgram";
import { benchSpeedMechanisms } from "./mechanisms";
import { benchAgainstRealEngine } from "./realEngine";
import { cliCommand, median, timedRun } from "../measure";

const root = path.resolve(__dirname, "../..");
const referenceStack = path.join(root, "examples/new-cluster");
const target = 1.3;

function argument(name: string, fallback: number): number {
    const at = process.argv.indexOf(name);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function timeRun(args: string[], env: NodeJS.ProcessEnv): number {
    return timedRun(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
}

async function main(): Promise<void> {
    if (process.argv.includes("--engine-only")) {
        benchAgainstRealEngine(argument("--engine-runs", 3), cliCommand());
        return;
    }
    if (process.argv.includes("--mechanisms-only")) {
        benchSpeedMechanisms(cliCommand(), argument("--mechanism-runs", 9));
        return;
    }
    const runs = argument("--runs", 7);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
    try {
        // The bare program declares what the reference stack registers: its alicloud resources,
        // with the inputs they get once ids are known (update mode), so no value is unknown.
        const reference = await runProgram({ dir: referenceStack, mode: "update" });
        const bare: BareResource[] = reference.resources
            .filter((r) => r.custom && r.type.startsWith("alicloud:") && !r.defaultProvider)
            .map((r) => ({
                type: r.type,
                name: r.name,
                inputs: r.properties,
                protect: r.protect,
                retainOnDelete: r.retainOnDelete,
            }));
        const bareFile = path.join(scratch, "resources.json");
        fs.writeFileSync(bareFile, JSON.stringify(bare));

        const cli = cliCommand();
        const plan = [...cli, "plan", referenceStack, "--quiet"];
        const tsNode = ["-r", "ts-node/register/transpile-only"];
        const transpileOnly = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
        const region = reference.project.config["alicloud:region"] ?? "cn-hangzhou";
        const names = {
            bare: "bare program (transpile-only)",
            reference: "reference program under mocks (transpile-only)",
            plan: "plan, program only (transpile-only)",
            planWithPack: "plan, with policy pack (transpile-only)",
            bareCold: "bare program (transpile-only, cold cache)",
            planCold: "plan, program only (transpile-only, cold cache)",
            bareChecked: "bare program (type-checked)",
            planChecked: "plan, program only (type-checked)",
        };
        // An empty compile cache folder per run: what a fresh machine sees.
        let coldRuns = 0;
        const coldCache = () => ({
            V8_COMPILE_CACHE_CACHE_DIR: path.join(scratch, `cold-${coldRuns++}`),
        });
        const variants: Array<[string, string[], NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv)]> = [
            [names.bare, [...tsNode, path.join(__dirname, "bareProgram.ts"), bareFile], {}],
            [
                names.reference,
                [
                    ...tsNode,
                    path.join(__dirname, "../scale/mockedProgram.ts"),
                    referenceStack,
                    path.basename(referenceStack),
                    "dev",
                    region,
                ],
                { PULUMI_CONFIG: JSON.stringify(reference.project.config) },
            ],
            [names.plan, plan, transpileOnly],
            [
                names.planWithPack,
                [...plan, "--policy-pack", path.join(root, "policy")],
                transpileOnly,
            ],
            [
                names.bareCold,
                [...tsNode, path.join(__dirname, "bareProgram.ts"), bareFile],
                coldCache,
            ],
            [names.planCold, plan, () => ({ ...transpileOnly, ...coldCache() })],
            [
                names.bareChecked,
                ["-r", "ts-node/register", path.join(__dirname, "bareProgram.ts"), bareFile],
                {},
            ],
            [names.planChecked, plan, {}],
        ];
        const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
        const envOf = (env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv)) =>
            typeof env === "function" ? env() : env;
        // Warm the file system cache and each compile cache once.
        for (const [, args, env] of variants) timeRun(args, envOf(env));
        for (let i = 0; i < runs; i++) {
            // Interleaved, so drifting load on the shared machine hits every variant alike.
            for (const [name, args, env] of variants) {
                times.get(name)?.push(timeRun(args, envOf(env)));
            }
        }

        const median_ = (name: string) => median(times.get(name) ?? []);
        const baseOf = (name: string) =>
            name.includes("type-checked")
                ? names.bareChecked
                : name.includes("cold cache")
                  ? names.bareCold
                  : names.bare;
        console.log(
            `bench/plan: ${reference.registrations.length} registrations in examples/new-cluster, ${bare.length} alicloud resources in the bare program; median of ${runs} runs, ${cli[0].endsWith(".js") ? "built CLI" : "CLI from source"}`,
        );
        for (const [name] of variants) {
            const base = median_(baseOf(name));
            console.log(
                `  ${name.padEnd(50)} ${(median_(name) / 1000).toFixed(2)} s   ${(median_(name) / base).toFixed(2)}x bare`,
            );
        }
        const ratio = (name: string, base: string) => median_(name) / median_(base);
        console.log(
            `target (issue 4): ack-kms plan on the reference stack <= ${target}x the bare program`,
        );
        for (const name of [names.plan, names.planCold, names.planWithPack, names.planChecked]) {
            const r = ratio(name, baseOf(name));
            console.log(
                `  ${name.padEnd(50)} ${r.toFixed(2)}x: ${r <= target ? "met" : "NOT met"}`,
            );
        }
        console.log(
            `the reference program's components over the bare declarations: ${ratio(names.reference, names.bare).toFixed(2)}x, +${((median_(names.reference) - median_(names.bare)) / 1000).toFixed(2)} s`,
        );
        console.log(
            `plan over the same program under plain mocks (what plan itself adds): ${ratio(names.plan, names.reference).toFixed(2)}x, +${((median_(names.plan) - median_(names.reference)) / 1000).toFixed(2)} s`,
        );
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    benchSpeedMechanisms(cliCommand(), argument("--mechanism-runs", 9));
    benchAgainstRealEngine(argument("--engine-runs", 3), cliCommand());
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
