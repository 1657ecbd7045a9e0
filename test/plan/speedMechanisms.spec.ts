// The program host's speed mechanisms (offline/program/speedMechanisms.ts) change how fast plan
// runs, never what it finds: with each one switched off, as bench/plan switches them off to
// measure it, the same program gives the same run.
import * as assert from "assert";
import { ProgramRun, ProgramRunError, runProgram } from "../../offline/program/runProgram";
import {
    SpeedMechanism,
    speedMechanisms,
    switchedOff,
    withoutKey,
} from "../../offline/program/speedMechanisms";
import { fixture, referenceStack } from "./support";

/** Runs `body` with `mechanism` switched off for the plan process and the program's process. */
async function without<T>(mechanism: string, body: () => Promise<T>): Promise<T> {
    const before = process.env[withoutKey];
    process.env[withoutKey] = mechanism;
    try {
        return await body();
    } finally {
        if (before === undefined) delete process.env[withoutKey];
        else process.env[withoutKey] = before;
    }
}

/** What a run found, without its timing. */
const findings = (run: ProgramRun) => ({
    resources: run.resources,
    registrations: run.registrations,
    invokes: run.invokes,
    notes: run.notes,
    incomplete: run.incomplete,
});

describe("plan: the program host's speed mechanisms", () => {
    let shipped: ReturnType<typeof findings>;
    before(async () => {
        delete process.env[withoutKey];
        shipped = findings(
            await runProgram({ dir: referenceStack, mode: "update", transpileOnly: true }),
        );
        assert.ok(shipped.registrations.length > 10);
    });

    for (const mechanism of Object.keys(speedMechanisms) as SpeedMechanism[]) {
        it(`without ${mechanism}, the reference stack runs to the same registrations`, async () => {
            const run = await without(mechanism, () =>
                runProgram({ dir: referenceStack, mode: "update", transpileOnly: true }),
            );
            assert.deepStrictEqual(findings(run), shipped);
        });
    }

    it("without the early start or the IPC result, a failing program reports the same error", async () => {
        const message = async () => {
            try {
                await runProgram({ dir: fixture("plan-throws") });
            } catch (err) {
                assert.ok(err instanceof ProgramRunError);
                return err.message;
            }
            assert.fail("plan-throws ran");
        };
        const expected = await message();
        for (const mechanism of ["earlyStart", "resultOverIpc"]) {
            assert.strictEqual(await without(mechanism, message), expected, mechanism);
        }
    });

    it("with the inspector hooks from the start, a closure error names its line without a rerun", async () => {
        await without("closureHooksOnRerun", () =>
            assert.rejects(runProgram({ dir: fixture("plan-closure-error") }), (err: Error) => {
                assert.ok(err instanceof ProgramRunError);
                assert.match(err.message, /function 'create': index\.js\(7,\d+\)/);
                return true;
            }),
        );
    });

    it("refuses a name that is not a mechanism, naming the names there are", () => {
        assert.deepStrictEqual(
            [...switchedOff({ [withoutKey]: " earlyStart, resultOverIpc " })],
            ["earlyStart", "resultOverIpc"],
        );
        assert.throws(
            () => switchedOff({ [withoutKey]: "earlyStart,earlyStrat" }),
            /ACK_KMS_PLAN_WITHOUT: "earlyStrat" is not a speed mechanism of the program host; the names are earlyStart, resultOverIpc, /,
        );
    });
});
