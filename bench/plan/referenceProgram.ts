// A second baseline of bench/plan: the reference stack's own program (components included), run in
// one process under the SDK's mocks (preview), with ack-kms plan's data source results. The gap
// between this and `ack-kms plan` is what plan itself adds: its CLI process, the child process,
// the SDK's program runner, capture and report.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { invokeResult, mockAccountId } from "../../offline/program/invokes";

async function main(programDir: string, region: string): Promise<void> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: undefined, state: args.inputs }),
            call: (args) => {
                const result = invokeResult(
                    args.token,
                    args.inputs,
                    { region, accountId: mockAccountId },
                    { invokes: {}, resources: {} },
                );
                if (!result) throw new Error(`no result for ${args.token}`);
                return result;
            },
        },
        path.basename(programDir),
        "dev",
        true,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(programDir, "index.ts"));
}

main(process.argv[2], process.argv[3]).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
