// `npm run toolchain`: builds the real Pulumi CLI here, through the Go module proxy, at the release
// of the locked @pulumi/pulumi, with what it needs to run our stacks and packs offline, into
// .toolchain/bin (ignored), and prints that folder as its last line. A second run with nothing
// changed only checks the stamp. What is real and what stands in is in README.md beside this file.
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { buildPythonVenv } from "./pythonVenv";

const repoRoot = path.resolve(__dirname, "../..");
const sourceDir = __dirname;
export const toolchainBin = path.join(repoRoot, ".toolchain", "bin");
const stampFile = path.join(toolchainBin, ".stamp");

/** Languages our polyglot host (scripts/toolchain/polyglothost) is built for. */
const polyglotHosts = ["python", "go"];

/** Resource plugins the stand-in serves, with the versions the locked npm packages declare. */
const standIns = ["alicloud", "kubernetes"];

function lockedVersion(pkg: string): string {
    const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
        packages: Record<string, { version?: string }>;
    };
    const version = lock.packages[`node_modules/${pkg}`]?.version;
    if (!version) {
        throw new Error(`package-lock.json has no ${pkg}: run npm ci first.`);
    }
    return version;
}

/** The pkg/v3 release go.mod pins; it must be the locked @pulumi/pulumi's. */
export function pinnedPulumiVersion(): string {
    const goMod = fs.readFileSync(path.join(sourceDir, "go.mod"), "utf8");
    const match = /github\.com\/pulumi\/pulumi\/pkg\/v3 v(\S+)/.exec(goMod);
    if (!match) {
        throw new Error(
            "scripts/toolchain/go.mod does not require github.com/pulumi/pulumi/pkg/v3.",
        );
    }
    return match[1];
}

function go(args: string[], options: { cwd?: string } = {}): string {
    return execFileSync("go", args, {
        cwd: options.cwd ?? sourceDir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off" },
    }).trim();
}

function stampOf(parts: string[]): string {
    const hash = createHash("sha256");
    for (const file of fs.readdirSync(sourceDir, { recursive: true }) as string[]) {
        const full = path.join(sourceDir, file);
        if (fs.statSync(full).isFile()) {
            hash.update(file).update(fs.readFileSync(full));
        }
    }
    for (const part of parts) hash.update(part);
    return hash.digest("hex");
}

function writeExecutable(file: string, text: string): void {
    const temp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(temp, text, { mode: 0o755 });
    fs.renameSync(temp, file);
}

function standInScript(pkg: string, version: string): string {
    const tsNode = path.join(repoRoot, "node_modules/ts-node/register/transpile-only");
    const entry = path.join(sourceDir, "standinProvider.ts");
    return [
        "#!/bin/sh",
        `# Stand-in for the ${pkg} resource provider (scripts/toolchain/standinProvider.ts).`,
        `TS_NODE_PROJECT='${path.join(repoRoot, "tsconfig.json")}' exec node -r '${tsNode}' '${entry}' ${pkg} ${version} "$@"`,
        "",
    ].join("\n");
}

function build(): void {
    const pulumiVersion = lockedVersion("@pulumi/pulumi");
    const pinned = pinnedPulumiVersion();
    if (pinned !== pulumiVersion) {
        throw new Error(
            `scripts/toolchain/go.mod pins the Pulumi CLI at v${pinned} but package-lock.json ` +
                `locks @pulumi/pulumi ${pulumiVersion}: set both require lines of go.mod to ` +
                `v${pulumiVersion} (if the Go module proxy serves it) and run \`go mod tidy\` there.`,
        );
    }
    const goVersion = go(["env", "GOVERSION"]);
    const stamp = stampOf([goVersion, process.version, repoRoot]);
    const binaries = [
        "pulumi",
        "pulumi-language-nodejs",
        "pulumi-resource-pulumi-nodejs",
        ...polyglotHosts.map((lang) => `pulumi-language-${lang}`),
        "pulumi-language-yaml",
        "pulumi-language-python-exec",
    ];
    const complete = binaries.every((b) => fs.existsSync(path.join(toolchainBin, b)));
    if (complete && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) {
        console.error(`toolchain: up to date (Pulumi CLI v${pulumiVersion}, ${goVersion}).`);
        return;
    }

    fs.mkdirSync(toolchainBin, { recursive: true });
    const started = Date.now();
    const versionFlag = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${pulumiVersion}`;
    console.error(`toolchain: building the Pulumi CLI v${pulumiVersion} with ${goVersion}...`);
    go([
        "build",
        "-trimpath",
        "-ldflags",
        versionFlag,
        "-o",
        path.join(toolchainBin, "pulumi"),
        "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    ]);
    console.error("toolchain: building pulumi-language-nodejs (scripts/toolchain/languagehost)...");
    go([
        "build",
        "-trimpath",
        "-ldflags",
        `-X main.version=${pulumiVersion}`,
        "-o",
        path.join(toolchainBin, "pulumi-language-nodejs"),
        "./languagehost",
    ]);

    for (const lang of polyglotHosts) {
        console.error(
            `toolchain: building pulumi-language-${lang} (scripts/toolchain/polyglothost)...`,
        );
        go([
            "build",
            "-trimpath",
            "-ldflags",
            `-X main.version=${pulumiVersion} -X main.language=${lang}`,
            "-o",
            path.join(toolchainBin, `pulumi-language-${lang}`),
            "./polyglothost",
        ]);
    }

    // Pulumi YAML's own language host, from a module of its own (why: yamlhost/tools.go).
    console.error(
        "toolchain: building pulumi-language-yaml (pulumi-yaml, scripts/toolchain/yamlhost)...",
    );
    go(
        [
            "build",
            "-trimpath",
            "-o",
            path.join(toolchainBin, "pulumi-language-yaml"),
            "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
        ],
        { cwd: path.join(sourceDir, "yamlhost") },
    );

    // The dynamic-provider shim the CLI's own distribution carries, from the SDK module.
    const sdkDir = go(["list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/sdk/v3"]);
    // The Python SDK's own program runner, which our python host starts.
    writeExecutable(
        path.join(toolchainBin, "pulumi-language-python-exec"),
        fs.readFileSync(path.join(sdkDir, "python/cmd/pulumi-language-python-exec"), "utf8"),
    );
    writeExecutable(
        path.join(toolchainBin, "pulumi-resource-pulumi-nodejs"),
        fs.readFileSync(path.join(sdkDir, "nodejs/dist/pulumi-resource-pulumi-nodejs"), "utf8"),
    );
    for (const pkg of standIns) {
        writeExecutable(
            path.join(toolchainBin, `pulumi-resource-${pkg}`),
            standInScript(pkg, lockedVersion(`@pulumi/${pkg}`)),
        );
    }
    fs.writeFileSync(stampFile, stamp);
    console.error(`toolchain: built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

if (require.main === module) {
    try {
        build();
        buildPythonVenv();
        console.log(toolchainBin);
    } catch (error) {
        console.error(`toolchain: ${(error as Error).message}`);
        process.exitCode = 1;
    }
}
