// Shared by the plan specs: fixture paths, a captured PlanIo, the schema validators.
import Ajv from "ajv";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PlanIo, PlanOptions } from "../../offline/plan";

export const repoRoot = path.resolve(__dirname, "../..");
export const fixture = (name: string) => path.join(repoRoot, "test/fixtures", name);
export const policyPackDir = path.join(repoRoot, "policy");

/** The reference stack once the COMPONENTS helper has written it; our own fixture until then. */
export const referenceStack = fs.existsSync(path.join(repoRoot, "examples/new-cluster/Pulumi.yaml"))
    ? path.join(repoRoot, "examples/new-cluster")
    : fixture("plan-basic");

/**
 * Runs `ack-kms` from source as a child process: exit codes need a real process. `timeoutMs`
 * ends a command that never exits (e.g. kept alive by a pack it did not stop) with SIGTERM, so
 * the test fails instead of hanging: mocha's timeout cannot interrupt a synchronous spawn.
 */
export function ackKms(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number) {
    const result = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(repoRoot, "cli/index.ts"), ...args],
        {
            cwd: repoRoot,
            encoding: "utf8",
            env: { ...process.env, ...env },
            ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
        },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface CapturedIo extends PlanIo {
    out: string;
    err: string;
}

export function captureIo(): CapturedIo {
    const io = {
        out: "",
        err: "",
        stdout: (text: string) => {
            io.out += text;
        },
        stderr: (text: string) => {
            io.err += text;
        },
    };
    return io;
}

export function planOptions(programDir: string, overrides: Partial<PlanOptions> = {}): PlanOptions {
    return {
        programDir,
        stack: "dev",
        config: [],
        policyPack: [],
        policyConfig: [],
        format: "text",
        quiet: true,
        ...overrides,
    };
}

/** Validates against a schema of offline/schemas; returns ajv's errors as text, "" when valid. */
export function schemaErrors(schemaFile: string, value: unknown): string {
    // strictRequired is off because SARIF's schema requires properties inside anyOf branches.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    // ajv ships no string formats; these are the two SARIF uses, per RFC 3986.
    ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
    ajv.addFormat("uri-reference", /^[^\s]*$/);
    const schema = JSON.parse(
        fs.readFileSync(path.join(repoRoot, "offline/schemas", schemaFile), "utf8"),
    ) as object;
    const validate = ajv.compile(schema);
    return validate(value) ? "" : ajv.errorsText(validate.errors, { separator: "\n" });
}
