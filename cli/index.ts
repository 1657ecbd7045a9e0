// The `ack-kms` command line. Each subcommand lives in its own module and is added here.
import { Command, CommanderError } from "commander";
import { exitCodes, packageVersion } from "../offline/plan";
import { planCommand } from "./plan";
import { verifyCommand } from "./verify";
import { auditCommand } from "./audit";
import { informationalCodes } from "./commandLine";

export function buildProgram(): Command {
    const program = new Command("ack-kms")
        .description(
            "Kubernetes Secret encryption with KMS on Alibaba Cloud ACK Pro: plan stacks offline against policy packs, verify live clusters, and audit a fleet.",
        )
        .version(packageVersion())
        .showHelpAfterError()
        // Argument errors exit 2, as the program and pack failures do; 1 means mandatory violations.
        .exitOverride();
    program.addCommand(planCommand());
    program.addCommand(verifyCommand());
    program.addCommand(auditCommand());
    for (const command of program.commands) {
        command.exitOverride().showHelpAfterError();
    }
    return program;
}

/** Runs the command line; sets process.exitCode (0, 1 or 2) instead of exiting, so output flushes. */
export async function main(argv: string[] = process.argv): Promise<void> {
    try {
        await buildProgram().parseAsync(argv);
    } catch (err) {
        if (err instanceof CommanderError) {
            process.exitCode = informationalCodes.includes(err.code)
                ? exitCodes.passed
                : exitCodes.failed;
            return;
        }
        throw err;
    }
}

if (require.main === module) {
    void main();
}
