// bench/plan's measure of the program host's speed mechanisms (offline/program/speedMechanisms.ts):
// `ack-kms plan` (program only, transpile-only) as shipped against the same run with one mechanism
// switched off (ACK_KMS_PLAN_WITHOUT=<name>), interleaved, on two programs: the reference stack
// (examples/new-cluster, a few dozen resources: start-up costs show) and bench/scale's clusters
// program at 1,000 resources (100 EncryptedClusters: per-resource costs show). "as shipped, again"
// is a second copy of the baseline: the difference between the two is the noise of the run.
//
//   npx ts-node --transpile-only bench/plan/index.ts --mechanisms-only [--mechanism-runs 9]
import * as path from "path";
import { SpeedMechanism, speedMechanisms, withoutKey } from "../../offline/program/speedMechanisms";
import { median, timedRun } from "../measure";

const root = path.resolve(__dirname, "../..");

interface Target {
    name: string;
    args: string[];
    runs: number;
}

function timePlan(args: string[], env: NodeJS.ProcessEnv): number {
    return timedRun(process.execPath, args, {
        cwd: root,
        env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...env },
    });
}

export function benchSpeedMechanisms(cli: string[], runs: number): void {
    const targets: Target[] = [
        {
            name: "reference stack (examples/new-cluster)",
            args: [...cli, "plan", path.join(root, "examples/new-cluster"), "--quiet"],
            runs,
        },
        {
            name: "100 EncryptedClusters (bench/scale clusters, 1,000 resources)",
            args: [
                ...cli,
                "plan",
                path.join(root, "bench/scale/programs/clusters"),
                "--quiet",
                "--config",
                "count=1000",
                "--config",
                "alicloud:region=cn-hangzhou",
            ],
            runs: Math.max(3, Math.round(runs / 3)),
        },
    ];
    const mechanisms = Object.keys(speedMechanisms) as SpeedMechanism[];
    const shipped = "as shipped";
    const again = "as shipped, again";
    const variants: Array<[string, NodeJS.ProcessEnv]> = [
        [shipped, {}],
        [again, {}],
        ...mechanisms.map((m): [string, NodeJS.ProcessEnv] => [m, { [withoutKey]: m }]),
    ];
    for (const target of targets) {
        const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
        for (const [, env] of variants) timePlan(target.args, env); // warm caches once
        for (let i = 0; i < target.runs; i++) {
            for (const [name, env] of variants) {
                times.get(name)?.push(timePlan(target.args, env));
            }
        }
        const base = median(times.get(shipped) ?? []);
        console.log(
            `bench/plan, speed mechanisms: ${target.name}, median of ${target.runs} runs; plan as shipped ${(base / 1000).toFixed(2)} s`,
        );
        for (const [name] of variants) {
            if (name === shipped) continue;
            const ms = median(times.get(name) ?? []);
            const label = name === again ? again : `without ${name}`;
            console.log(
                `  ${label.padEnd(36)} ${(ms / 1000).toFixed(2)} s  ${ms - base >= 0 ? "+" : ""}${(ms - base).toFixed(0)} ms (${((ms / base - 1) * 100).toFixed(1)}%)${name === again ? "  <- the run's noise" : `  ${speedMechanisms[name as SpeedMechanism]}`}`,
            );
        }
    }
}
