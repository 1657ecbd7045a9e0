// The second half of bench/plan: `ack-kms plan --policy-pack policy` against the real
// `pulumi preview --policy-pack policy` (the CLI that `npm run toolchain` builds, with its stand-in
// providers), on examples/new-cluster and on a generated program of 1,000 resources, interleaved in
// the same run. Skipped with one line when the toolchain is not built.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { engineEnv, toolchainBin } from "../../scripts/toolchain/environment";
import { median, timedRun } from "../measure";

const root = path.resolve(__dirname, "../..");

/** A program of `count` RAM groups: many flat resources the pack analyzes one by one. */
function writeFlatProgram(dir: string, count: number): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: bench-flat\nruntime:\n    name: nodejs\n    options:\n        typescript: true\nmain: index.ts\n",
    );
    fs.writeFileSync(
        path.join(dir, "Pulumi.dev.yaml"),
        "config:\n    alicloud:region: cn-hangzhou\n",
    );
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        [
            'import * as alicloud from "@pulumi/alicloud";',
            `for (let i = 0; i < ${count}; i++) {`,
            "    new alicloud.ram.Group(`group-${i}`, { name: `group-${i}`, comments: `bench ${i}` });",
            "}",
            "",
        ].join("\n"),
    );
}

export function benchAgainstRealEngine(runs: number, cli: string[]): void {
    const pulumi = path.join(toolchainBin, "pulumi");
    if (!fs.existsSync(pulumi)) {
        console.log(
            "bench/plan vs pulumi preview skipped: run npm run toolchain to build the real CLI.",
        );
        return;
    }
    const work = fs.mkdtempSync(path.join(root, ".toolchain", "bench-"));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "bench-engine-"));
    try {
        fs.mkdirSync(path.join(home, "state"));
        const env = engineEnv(home);
        const programs: Array<[string, string]> = [
            ["examples/new-cluster", path.join(work, "examples", "new-cluster")],
            ["1,000 RAM groups", path.join(work, "flat")],
        ];
        fs.cpSync(path.join(root, "examples"), path.join(work, "examples"), { recursive: true });
        writeFlatProgram(path.join(work, "flat"), 1000);
        const policy = path.join(root, "policy");
        for (const [, dir] of programs) {
            spawnSync(pulumi, ["stack", "init", "dev", "--non-interactive"], { cwd: dir, env });
        }
        const variants = programs.flatMap(([label, dir]) => [
            {
                label: `${label}: pulumi preview --policy-pack`,
                run: () =>
                    timedRun(
                        pulumi,
                        [
                            "preview",
                            "--non-interactive",
                            "--json",
                            "--stack",
                            "dev",
                            "--policy-pack",
                            policy,
                        ],
                        { cwd: dir, env },
                    ),
            },
            {
                label: `${label}: ack-kms plan --policy-pack`,
                run: () =>
                    timedRun(
                        process.execPath,
                        [
                            ...cli,
                            "plan",
                            dir,
                            "--policy-pack",
                            policy,
                            "--quiet",
                            "--format",
                            "json",
                        ],
                        {
                            cwd: root,
                            env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
                        },
                    ),
            },
        ]);
        const times = new Map(variants.map((v) => [v.label, [] as number[]]));
        for (const v of variants) v.run(); // warm caches
        for (let i = 0; i < runs; i++) {
            for (const v of variants) times.get(v.label)?.push(v.run());
        }
        console.log(
            `bench/plan vs the real CLI (.toolchain/bin, stand-in providers): median of ${runs} runs, both transpile-only`,
        );
        for (const [label] of programs) {
            const real = median(times.get(`${label}: pulumi preview --policy-pack`) ?? []);
            const planned = median(times.get(`${label}: ack-kms plan --policy-pack`) ?? []);
            console.log(
                `  ${label.padEnd(22)} pulumi preview ${(real / 1000).toFixed(2)} s   ack-kms plan ${(planned / 1000).toFixed(2)} s   plan/preview ${(planned / real).toFixed(2)}x`,
            );
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
        fs.rmSync(home, { recursive: true, force: true });
    }
}
