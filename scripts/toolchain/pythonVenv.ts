// The Python virtualenv the ack-kms Python example and its tests run in (.toolchain/python): the
// Pulumi Python SDK from PyPI at the newest release it has at or below the CLI's (PyPI stops at
// 3.272.0 while the CLI is 3.276.0; the wire protocol is the same), pulumi_alicloud at the locked
// @pulumi/alicloud's release (the stand-in provider answers for that version), plus the generated ack-kms SDK
// (sdk/python) installed editable, so a change there needs no reinstall. A stamp makes reruns
// instant; a half-made virtualenv is removed, never reused.
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "../..");
export const pythonVenv = path.join(repoRoot, ".toolchain", "python");
/** The interpreter the python host runs programs with (PULUMI_PYTHON_CMD). */
export const pythonBinary = path.join(pythonVenv, "bin", "python");
const stampFile = path.join(pythonVenv, ".stamp");

/** The Python SDK release pip installs. */
export const pythonSdkRequirement = "pulumi==3.272.0";
const ackKmsSdk = path.join(repoRoot, "sdk", "python");

function lockedAlicloud(): string {
    const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
        packages: Record<string, { version?: string }>;
    };
    const version = lock.packages["node_modules/@pulumi/alicloud"]?.version;
    if (!version) throw new Error("package-lock.json has no @pulumi/alicloud: run npm ci first.");
    return version;
}

/** What pip installs from PyPI. */
export function pythonRequirements(): string[] {
    return [pythonSdkRequirement, `pulumi_alicloud==${lockedAlicloud()}`];
}

function run(command: string, args: string[]): string {
    return execFileSync(command, args, {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    }).trim();
}

export function buildPythonVenv(): void {
    const python = process.env.ACK_KMS_PYTHON ?? "python3";
    let version: string;
    try {
        version = run(python, ["--version"]);
    } catch {
        console.error(`toolchain: no ${python}: the Python example and its tests will skip.`);
        return;
    }
    const setup = fs.existsSync(path.join(ackKmsSdk, "pyproject.toml"))
        ? fs.readFileSync(path.join(ackKmsSdk, "pyproject.toml"), "utf8")
        : "";
    const stamp = createHash("sha256")
        .update(version)
        .update(pythonRequirements().join(" "))
        .update(setup)
        .digest("hex");
    if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) {
        console.error(
            `toolchain: Python virtualenv up to date (${version}, ${pythonRequirements().join(", ")}).`,
        );
        return;
    }
    const started = Date.now();
    console.error(
        `toolchain: making the Python virtualenv (${version}, ${pythonRequirements().join(", ")})...`,
    );
    fs.rmSync(pythonVenv, { recursive: true, force: true });
    try {
        run(python, ["-m", "venv", pythonVenv]);
        const pip = ["-m", "pip", "install", "--disable-pip-version-check", "--quiet"];
        run(pythonBinary, [...pip, ...pythonRequirements()]);
        if (setup) {
            // --no-deps: the SDK's only dependency is the pulumi package installed just above.
            run(pythonBinary, [...pip, "--no-deps", "--editable", ackKmsSdk]);
        }
    } catch (error) {
        fs.rmSync(pythonVenv, { recursive: true, force: true });
        throw error;
    }
    fs.writeFileSync(stampFile, stamp);
    console.error(
        `toolchain: Python virtualenv made in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
}
