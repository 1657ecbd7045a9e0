// Starts a policy pack's process as the Pulumi CLI does: node on the pack's run-policy-pack
// launcher with the project's nodeargs, the engine's log service address and the pack folder; then
// waits for the port the pack prints first, or says why it never came (exit, timeout, stray output).
import { ChildProcess, spawn } from "child_process";
import { EngineLogEntry, EngineLogServer } from "./engineLog";
import { PolicyPackError, PolicyPackStartOptions } from "./model";
import { packEnvironment, PolicyProject, resolveRunPolicyPack } from "./packProject";

export interface LaunchedPack {
    child: ChildProcess;
    engine: EngineLogServer;
    /** Resolves when the process has ended and its output is closed. */
    exit: Promise<void>;
    /** The port of the pack's Analyzer service. */
    listening: number;
}

/** `logs` gets the pack's Engine Log calls and what it prints on stderr and, after its port, stdout. */
export async function launchPack(
    options: PolicyPackStartOptions,
    packDir: string,
    project: PolicyProject,
    logs: EngineLogEntry[],
): Promise<LaunchedPack> {
    const runPolicyPack = resolveRunPolicyPack(packDir);
    const env = packEnvironment(options, project);
    const nodeargs = project.options.nodeargs;
    const args = [
        runPolicyPack,
        ...(typeof nodeargs === "string" && nodeargs.trim() ? nodeargs.trim().split(/\s+/) : []),
    ];

    const engine = await EngineLogServer.start(logs);
    const child = spawn(process.execPath, [...args, engine.address, packDir], {
        cwd: packDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    let exitCode: number | null = null;
    const exit = new Promise<void>((resolve) => {
        // "close" comes after the output streams ended, so stderr is complete by then.
        child.once("close", (code, signal) => {
            exitCode = code ?? (signal ? 128 : null);
            resolve();
        });
        child.once("error", (error) => {
            stderr.push(error.message);
            resolve();
        });
    });
    readLines(child.stderr!, (line) => {
        stderr.push(line);
        logs.push({ severity: "error", message: line, source: "stderr" });
    });
    let port: number | undefined;
    const portLine = new Promise<number>((resolve, reject) => {
        readLines(child.stdout!, (line) => {
            if (port === undefined) {
                port = Number(line.trim());
                if (!Number.isInteger(port) || port <= 0) {
                    reject(
                        new PolicyPackError(
                            `policy pack "${packDir}" printed "${line}" where its port was expected: nothing may be printed before the PolicyPack is built.`,
                        ),
                    );
                } else {
                    resolve(port);
                }
            } else {
                logs.push({ severity: "info", message: line, source: "stdout" });
            }
        });
        void exit.then(() =>
            reject(
                new PolicyPackError(
                    `policy pack "${packDir}" exited with code ${String(exitCode)} before it printed its port` +
                        (stderr.length > 0 ? `:\n${plainText(stderr)}` : "."),
                ),
            ),
        );
    });
    const timeoutMs = options.startTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
            () =>
                reject(
                    new PolicyPackError(
                        `policy pack "${packDir}" did not print its port within ${timeoutMs} ms` +
                            (stderr.length > 0 ? `:\n${plainText(stderr)}` : "."),
                    ),
                ),
            timeoutMs,
        );
    });
    let listening: number;
    try {
        listening = await Promise.race([portLine, timeout]);
    } catch (e) {
        child.kill();
        await exit;
        await engine.close();
        throw e;
    } finally {
        clearTimeout(timer);
    }
    return { child, engine, exit, listening };
}

export function plainText(lines: string[]): string {
    return lines.join("\n").replace(/\u001b\[[0-9;]*m/g, "");
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    let buffered = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
        buffered += chunk;
        let newline = buffered.indexOf("\n");
        while (newline >= 0) {
            onLine(buffered.slice(0, newline).replace(/\r$/, ""));
            buffered = buffered.slice(newline + 1);
            newline = buffered.indexOf("\n");
        }
    });
    stream.on("end", () => {
        if (buffered) {
            onLine(buffered);
        }
    });
}
