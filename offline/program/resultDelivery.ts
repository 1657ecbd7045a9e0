// How the program host hands its result over when the run ends: over IPC once the event loop has
// emptied (the parent need not wait for a large heap to tear down), else in the result file at
// exit; and what a run that ended early (process.exit, pending promises) records as its errors.
import * as fs from "fs";
import { HostReply, HostResult } from "./hostProtocol";
import { isOn } from "./speedMechanisms";

export interface RunEnd {
    result: HostResult;
    recordError: (message: string) => void;
    resultFile: string;
    /** The SDK's message for promises left pending, if any. */
    leaked: () => string | undefined;
    stackOutputsRegistered: () => boolean;
}

/** Installs the process's end handlers; call `settled` once the SDK's runner has returned. */
export function deliverResultAtEnd({
    result,
    recordError,
    resultFile,
    leaked,
    stackOutputsRegistered,
}: RunEnd): { settled(): void } {
    // Once the program is done and nothing is left to run, the result goes to the parent over IPC,
    // so it need not wait for this process to tear down (a large heap takes 10-20 ms). A program
    // that ends the process itself (process.exit) leaves the result in the file instead.
    let delivered = false;
    let eventLoopEmptied = false;
    let runSettled = false;
    process.once("beforeExit", () => {
        eventLoopEmptied = true;
        // The SDK fails a deployment whose program left promises pending (it checks at exit, after
        // this): the same check here makes it an error of the plan too.
        const leakMessage = leaked();
        if (leakMessage !== undefined && result.errors.length === 0) {
            recordError(leakMessage);
        }
        if (!runSettled && result.errors.length === 0) {
            // Nothing pending the SDK tracks, but the program's exports never resolved: the SDK
            // never registers the stack's outputs and the engine ends the deployment without them.
            result.incomplete =
                "The program's stack outputs never resolved: the run ended without registering them, so the stack has no outputs (pulumi records none either).";
        }
        if (!process.send || !process.connected) return;
        if (!isOn("resultOverIpc")) {
            process.disconnect(); // the result goes to the file at exit
            return;
        }
        const reply: HostReply = { result };
        process.send(reply, (err: Error | null) => {
            delivered = !err;
            if (process.connected) process.disconnect();
        });
    });
    process.on("exit", (code: number) => {
        if (!eventLoopEmptied && result.errors.length === 0) {
            // The program ended the process itself (process.exit) before the event loop emptied.
            // Under the CLI the SDK's exit check fails an exit 0 that leaves registrations pending,
            // and the language host fails any other code: so does plan, naming what was cut short.
            const leakMessage = leaked();
            if (code !== 0) {
                recordError(
                    `The program called process.exit(${code}) before it finished` +
                        (leakMessage ? `: ${leakMessage}` : "."),
                );
            } else if (leakMessage !== undefined) {
                recordError(
                    `The program called process.exit(0) before its registrations finished: ${leakMessage}`,
                );
            } else if (!stackOutputsRegistered()) {
                // Here the monitor answers at once; the engine answers over the network, so under
                // the CLI the same exit cuts registrations short and fails the run.
                recordError(
                    "The program called process.exit(0) before the run finished (the stack's outputs were never registered): under the Pulumi CLI its registrations are still in flight then, and the run fails.",
                );
            }
        }
        if (!delivered) fs.writeFileSync(resultFile, JSON.stringify(result));
    });
    return {
        settled: () => {
            runSettled = true;
        },
    };
}
