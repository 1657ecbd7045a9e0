// The parent's side of the program host (host.ts): a node process started before the
// project is read, so that the few hundred milliseconds it spends loading the Pulumi SDK overlap
// with this process reading Pulumi.yaml and the stack's config. The request follows over IPC.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    HostMessage,
    HostReply,
    HostResult,
    HostStart,
    hostEnvironmentKey,
    programEnvironmentKeys,
} from "./hostProtocol";
import { sdkRootOf } from "./sdkHooks";

export interface HostExit {
    /** null while the process is still tearing down (the result came over IPC), or on a signal. */
    code: number | null;
    /** What the program printed on stdout and stderr, interleaved. */
    output: string;
    /** The program's result, sent over IPC when it was done; else it is in the result file. */
    result?: HostResult;
}

export class ProgramHostProcess {
    /** Resolves when the process has ended and its output is closed; never rejects. */
    readonly exited: Promise<HostExit>;
    private readonly child: ChildProcess;

    /**
     * @param nodeArgs Pulumi.yaml's runtime.options.nodeargs: node flags must be given at start,
     * so a host started before they were known is replaced (see `fits`).
     */
    constructor(
        readonly start: HostStart,
        readonly nodeArgs: readonly string[],
    ) {
        const fromSource = __filename.endsWith(".ts");
        const hostFile = path.join(__dirname, `host${fromSource ? ".ts" : ".js"}`);
        // From source (tests, ts-node) the host needs ts-node too. Its registration is switched off
        // once the host is loaded, so the program is compiled only by the registration the SDK's
        // runner makes (type-checked or not, as Pulumi.yaml and the program's tsconfig say).
        const hostArgs = fromSource
            ? [
                  "-e",
                  `const service = require(${JSON.stringify(require.resolve("ts-node"))}).register({ transpileOnly: true, project: ${JSON.stringify(path.resolve(__dirname, "../../tsconfig.json"))} });` +
                      `const host = require(${JSON.stringify(hostFile)}); service.enabled(false); host.hostMain();`,
              ]
            : [hostFile];
        // The program's output goes to a file, not a pipe: Node writes files synchronously, so
        // all of it is there when the result arrives, before the process has ended.
        const outputDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-host-"));
        const outputFile = path.join(outputDirectory, "output.log");
        const outputFd = fs.openSync(outputFile, "a");
        try {
            this.child = spawn(process.execPath, [...nodeArgs, ...hostArgs], {
                cwd: path.resolve(__dirname, "../.."),
                env: hostProcessEnvironment(start),
                stdio: ["ignore", outputFd, outputFd, "ipc"],
            });
        } finally {
            fs.closeSync(outputFd);
        }
        this.exited = new Promise((resolve) => {
            let settled = false;
            const settle = (exit: Omit<HostExit, "output">, extra = "") => {
                if (settled) return;
                settled = true;
                const output = fs.readFileSync(outputFile, "utf8") + extra;
                fs.rmSync(outputDirectory, { recursive: true, force: true });
                resolve({ ...exit, output });
            };
            this.child.on("message", (reply: HostReply) => {
                if (reply?.result) {
                    // Done: the process may finish tearing down after this one has exited.
                    this.child.unref();
                    settle({ code: null, result: reply.result });
                }
            });
            this.child.on("error", (err) => settle({ code: null }, `${err.message}\n`));
            this.child.on("close", (code) => settle({ code }));
        });
    }

    /** Whether this host can run `project`'s program: same node flags and SDK folder. */
    fits(start: HostStart, nodeArgs: readonly string[]): boolean {
        return (
            sdkRootOf(start.sdkDirectory) === sdkRootOf(this.start.sdkDirectory) &&
            start.closureHooks === this.start.closureHooks &&
            nodeArgs.join(" ") === this.nodeArgs.join(" ")
        );
    }

    /** Sends the request; a host that has already ended reports why through `exited`. */
    send(message: HostMessage): void {
        if (this.child.connected) {
            this.child.send(message, (err) => {
                if (err) this.child.kill();
            });
        }
    }

    kill(signal: NodeJS.Signals = "SIGTERM"): void {
        this.child.kill(signal);
    }
}

function hostProcessEnvironment(start: HostStart): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, [hostEnvironmentKey]: JSON.stringify(start) };
    for (const key of programEnvironmentKeys) {
        delete env[key];
    }
    return env;
}
