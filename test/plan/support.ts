// Shared by the plan specs: fixture paths, a captured PlanIo, the schema validators.
import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { PlanIo, PlanOptions } from "../../cli/plan";

export const repoRoot = path.resolve(__dirname, "../..");
export const fixture = (name: string) => path.join(repoRoot, "test/fixtures", name);
export const policyPackDir = path.join(repoRoot, "policy");

/** The reference stack once the COMPONENTS helper has written it; our own fixture until then. */
export const referenceStack = fs.existsSync(path.join(repoRoot, "examples/new-cluster/Pulumi.yaml"))
    ? path.join(repoRoot, "examples/new-cluster")
    : fixture("plan-basic");

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
