// `ack-kms plan`: the command line. Its flags become offline/plan.ts's options; the plan itself,
// its report and its exit code are offline/plan.ts's.
import { Command } from "commander";
import { defaultTimeout, plan, PlanOptions } from "../offline/plan";
import { defaultOrganization } from "../offline/program/runProgram";

function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}

export function planCommand(): Command {
    return new Command("plan")
        .description(
            "Preview a Pulumi program offline (no cloud account, no Pulumi CLI) and run policy packs on it.",
        )
        .argument("[program-dir]", "folder holding the program's Pulumi.yaml", ".")
        .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config is used", "dev")
        .option("-c, --config <key=value>", "set a config value (repeatable)", collect, [])
        .option("--policy-pack <dir>", "run this policy pack (repeatable)", collect, [])
        .option(
            "--policy-config <file>",
            "JSON config for the policy pack at the same position (repeatable)",
            collect,
            [],
        )
        .option(
            "--mode <mode>",
            "preview: ids and outputs unknown; update: mock ids and outputs (default: preview, or update with --state-out)",
        )
        .option("--format <format>", "output on stdout: text, json or sarif", "text")
        .option("--graph <file>", "write a graph of resources and key bindings (.svg or .dot)")
        .option(
            "--state-out <file>",
            "write the planned stack as a Pulumi state file (update mode)",
        )
        .option(
            "--mocks <file>",
            "JSON or YAML results for data sources and outputs for resource types",
        )
        .option(
            "--organization <name>",
            `organization name the program and packs see (default: "${defaultOrganization}", as on a self-managed backend)`,
        )
        .option(
            "--transpile-only",
            "compile the program's TypeScript without type-checking it, as PULUMI_NODEJS_TRANSPILE_ONLY=true does (default: type-checked, as the Pulumi CLI does)",
        )
        .option(
            "--tag <key=value>",
            "a stack tag policy packs see, as `pulumi stack tag set` keeps it (repeatable); pulumi:project, pulumi:runtime and pulumi:description come from Pulumi.yaml",
            collect,
            [],
        )
        .option(
            "--stack-reference <stack=file>",
            "outputs of a stack the program reads with StackReference, as `pulumi stack output --json` prints them (repeatable)",
            collect,
            [],
        )
        .option(
            "--timeout <duration>",
            `how long the program, and each policy pack once the resources are known, may run before plan stops it and exits 2 (e.g. 90s, 10m; default: ${defaultTimeout})`,
        )
        .option(
            "--require-resources",
            "exit 2 when the program registers no resource besides the stack, so a CI gate that checked nothing fails",
        )
        .option("-q, --quiet", "no progress on stderr", false)
        .action(async (programDir: string, flags: Omit<PlanOptions, "programDir">) => {
            const outcome = await plan(
                { ...flags, programDir },
                {
                    stdout: (text) => process.stdout.write(text),
                    stderr: (text) => process.stderr.write(text),
                },
            );
            process.exitCode = outcome.exitCode;
        });
}
