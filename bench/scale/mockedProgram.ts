// The baseline of bench/scale, and bench/plan's "reference program under mocks": a program run in one process under the SDK's plain mocks (preview:
// inputs echoed, ids unknown), with plan's data source results. No capture, no report, no pack:
// what the program itself costs, which plan and the pack are measured against. With
// BENCH_SKIP_PROMISE_STACKS=true it also skips the SDK's unread per-promise stack traces, as plan does.
//
//   ts-node --transpile-only bench/scale/mockedProgram.ts <program dir> <project> <stack> <region>
// with the program's config in PULUMI_CONFIG, as the SDK reads it.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { invokeResult, mockAccountId } from "../../offline/program/invokes";
import { sdkLoader, sdkRootOf, skipUnreadPromiseStacks } from "../../offline/program/sdkHooks";

async function main(programDir: string, project: string, stack: string, region: string) {
    // The "bare, no promise stacks" floor: the same SDK hook plan's program host applies, so the
    // ratio against it is what plan itself adds, apart from the SDK's per-promise stack traces.
    if (process.env.BENCH_SKIP_PROMISE_STACKS === "true") {
        skipUnreadPromiseStacks(sdkLoader(sdkRootOf(programDir)));
    }
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
        project,
        stack,
        true,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(programDir, "index.ts"));
}

const [programDir, project, stack, region] = process.argv.slice(2);
main(programDir, project, stack, region).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
