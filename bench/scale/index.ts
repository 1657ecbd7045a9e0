// bench/scale (issue 12): `ack-kms plan` and plan with the project's policy pack against the bare
// program, at the sizes platform stacks have, for three shapes of program:
//   flat        N alicloud.ram.Group, no components, nothing to bind;
//   components  N resources as teams of 5 RAM resources, each team a component under one platform
//               component (parents, component outputs, a deeper tree);
//   clusters    N/10 ack-kms EncryptedClusters (ACK Pro, a new protected KMS key, ACK's role, a
//               Deny for an operators group): every cluster is bound to its own key, so a
//               quadratic binding, RAM matching or report step shows.
//
//   npx ts-node --transpile-only bench/scale/index.ts [--sizes 1000,10000,20000]
//       [--shapes flat,components,clusters] [--runs 3]
//
// Figures, each the median of the runs of one whole process tree, start to exit, interleaved so
// drifting load hits every variant alike:
//   bare        the program in one ts-node process under the SDK's plain mocks (the floor);
//   bare-ns     the same with the one SDK hook plan's program host applies (the SDK's per-promise
//               stack traces, read only with PULUMI_DEBUG_PROMISE_LEAKS, are not formatted):
//               plan against it is what plan adds apart from that hook;
//   plan        `ack-kms plan --quiet` without a pack;
//   plan+pack   plus the ack-kms policy pack, as `--policy-pack policy`;
// each with its wall time, the CPU time of its whole process tree (CLI, program, pack; what a
// loaded machine makes wall time depend on) and the peak of the tree's summed resident memory,
// sampled from /proc. Each ratio is against bare in the same run. Both sides compile TypeScript transpile-only. Targets (issue 12): plan <= 1.25x
// bare at every size; plan+pack <= 1.6x bare at 10,000; plan+pack at 20,000 <= 2.1x its time at
// 10,000; peak memory of plan+pack <= 1.5x bare's.
import { spawn } from "child_process";
import * as path from "path";
import { canSampleMemory, ProcessTreeSampler } from "./processTree";
import { cliCommand, median } from "../measure";

const root = path.resolve(__dirname, "../..");
const allShapes = ["flat", "components", "clusters"] as const;
type Shape = (typeof allShapes)[number];
const region = "cn-hangzhou";

function option(name: string, fallback: string): string {
    const at = process.argv.indexOf(name);
    return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

function listOption(name: string, fallback: string): string[] {
    return option(name, fallback)
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
}

interface Measurement {
    ms: number;
    peakBytes: number;
    cpuMs: number;
}

/** Runs one command to its end, sampling its process tree's memory and CPU every 50 ms. */
function measure(args: string[], env: NodeJS.ProcessEnv): Promise<Measurement> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(process.execPath, args, {
            cwd: root,
            env: { ...process.env, ...env },
            stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
            stderr = (stderr + chunk.toString()).slice(-4000);
        });
        const tree = child.pid === undefined ? undefined : new ProcessTreeSampler(child.pid);
        const sampler = setInterval(() => tree?.sample(), 50);
        child.on("error", reject);
        child.on("exit", (code) => {
            clearInterval(sampler);
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            if (code !== 0) {
                reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`));
                return;
            }
            resolve({ ms, peakBytes: tree?.peakBytes ?? 0, cpuMs: tree?.cpuMs ?? 0 });
        });
    });
}

interface Variant {
    name: "bare" | "bare-ns" | "plan" | "plan+pack";
    args: string[];
    env: NodeJS.ProcessEnv;
}

function variantsOf(shape: Shape, size: number): Variant[] {
    const dir = path.join(__dirname, "programs", shape);
    const project = `bench-scale-${shape}`;
    const plan = [
        ...cliCommand(),
        "plan",
        dir,
        "--quiet",
        "--config",
        `count=${size}`,
        "--config",
        `alicloud:region=${region}`,
    ];
    const transpileOnly = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    const bareArgs = [
        "-r",
        "ts-node/register/transpile-only",
        path.join(__dirname, "mockedProgram.ts"),
        dir,
        project,
        "dev",
        region,
    ];
    const bareEnv = {
        PULUMI_CONFIG: JSON.stringify({
            [`${project}:count`]: String(size),
            "alicloud:region": region,
        }),
    };
    return [
        { name: "bare", args: bareArgs, env: bareEnv },
        {
            name: "bare-ns",
            args: bareArgs,
            env: { ...bareEnv, BENCH_SKIP_PROMISE_STACKS: "true" },
        },
        { name: "plan", args: plan, env: transpileOnly },
        {
            name: "plan+pack",
            args: [...plan, "--policy-pack", path.join(root, "policy")],
            env: transpileOnly,
        },
    ];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");

async function main(): Promise<void> {
    const sizes = listOption("--sizes", "1000,10000,20000").map(Number);
    const shapes = listOption("--shapes", allShapes.join(",")) as Shape[];
    const runs = Number(option("--runs", "3"));
    for (const shape of shapes) {
        if (!allShapes.includes(shape)) throw new Error(`--shapes: unknown shape "${shape}"`);
    }
    if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
        throw new Error(`--sizes: give positive whole numbers, comma-separated`);
    }
    if (!canSampleMemory()) console.log("(memory not sampled: no /proc task children here)");
    console.log(
        `bench/scale: median of ${runs} runs, ${cliCommand()[0].endsWith(".js") ? "built CLI" : "CLI from source"}`,
    );
    const packTimes = new Map<string, number>();
    for (const shape of shapes) {
        for (const size of sizes) {
            const variants = variantsOf(shape, size);
            const results = new Map<string, Measurement[]>(variants.map((v) => [v.name, []]));
            // One warm-up of each (file system, compile caches) at a shape's first size, then
            // interleaved runs; the larger sizes run the same files.
            if (size === sizes[0]) {
                for (const variant of variants) await measure(variant.args, variant.env);
            }
            for (let i = 0; i < runs; i++) {
                for (const variant of variants) {
                    results.get(variant.name)?.push(await measure(variant.args, variant.env));
                }
            }
            const time = (name: string) => median((results.get(name) ?? []).map((m) => m.ms));
            const peak = (name: string) =>
                median((results.get(name) ?? []).map((m) => m.peakBytes));
            const cpu = (name: string) => median((results.get(name) ?? []).map((m) => m.cpuMs));
            const bare = time("bare");
            console.log(`\n${shape}, ${size} resources`);
            for (const variant of variants) {
                const name = variant.name;
                console.log(
                    `  ${name.padEnd(10)} ${seconds(time(name)).padStart(9)} ${(time(name) / bare).toFixed(2)}x` +
                        `   cpu ${seconds(cpu(name)).padStart(9)} ${(cpu(name) / cpu("bare")).toFixed(2)}x` +
                        `   peak ${mib(peak(name)).padStart(9)} ${(peak(name) / peak("bare")).toFixed(2)}x`,
                );
            }
            const planRatio = time("plan") / bare;
            console.log(
                `  target plan <= 1.25x bare: ${planRatio.toFixed(2)}x ${verdict(planRatio <= 1.25)}`,
            );
            // The targets are against bare, the program as `pulumi preview` runs it; against bare-ns
            // the hook's gain is taken out, and what is left is plan's and the pack's own cost.
            console.log(
                `  against bare-ns: plan ${(time("plan") / time("bare-ns")).toFixed(2)}x, plan+pack ${(time("plan+pack") / time("bare-ns")).toFixed(2)}x`,
            );
            if (size === 10000) {
                const packRatio = time("plan+pack") / bare;
                console.log(
                    `  target plan+pack <= 1.6x bare at 10,000: ${packRatio.toFixed(2)}x ${verdict(packRatio <= 1.6)}`,
                );
            }
            const memoryRatio = peak("plan+pack") / peak("bare");
            console.log(
                `  target plan+pack peak memory <= 1.5x bare: ${memoryRatio.toFixed(2)}x ${verdict(memoryRatio <= 1.5)}`,
            );
            packTimes.set(`${shape}:${size}`, time("plan+pack"));
            const at10k = packTimes.get(`${shape}:10000`);
            if (size === 20000 && at10k !== undefined) {
                const growth = time("plan+pack") / at10k;
                console.log(
                    `  target plan+pack at 20,000 <= 2.1x at 10,000: ${growth.toFixed(2)}x ${verdict(growth <= 2.1)}`,
                );
            }
        }
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
