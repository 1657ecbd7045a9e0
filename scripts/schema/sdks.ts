// `npm run sdks`: the Python and Go SDKs under sdk/, generated from provider/schema.json by the real
// CLI (`pulumi package gen-sdk`, which hands the schema to each language host's GeneratePackage:
// ours in scripts/toolchain/polyglothost run the CLI's own pkg/v3/codegen/{python,go}). They are
// checked in, as pulumi-eks does, so `pip install` / `go get` of this repository works without a
// toolchain; test/provider/sdks.spec.ts regenerates them and fails when the copy is stale.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { engineEnv, toolchainBin } from "../toolchain/environment";
import { schemaFile } from "./generate";

const repoRoot = path.resolve(__dirname, "../..");
export const sdkLanguages = ["python", "go"] as const;

/** Writes the SDK of each language into `<outDir>/<language>`, as gen-sdk lays it out. */
export function generateSdks(outDir: string): void {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-gen-sdk-"));
    try {
        for (const language of sdkLanguages) {
            const result = spawnSync(
                path.join(toolchainBin, "pulumi"),
                ["package", "gen-sdk", schemaFile, "--language", language, "--out", outDir],
                { cwd: repoRoot, env: engineEnv(home), encoding: "utf8", timeout: 120_000 },
            );
            if (result.status !== 0) {
                throw new Error(
                    `pulumi package gen-sdk --language ${language} failed: ${result.stderr || result.error}`,
                );
            }
        }
    } finally {
        fs.rmSync(home, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const started = Date.now();
    // Into a scratch folder first, so a failed run leaves the checked-in SDKs as they were.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-sdks-"));
    try {
        generateSdks(scratch);
        for (const language of sdkLanguages) {
            const target = path.join(repoRoot, "sdk", language);
            fs.rmSync(target, { recursive: true, force: true });
            fs.cpSync(path.join(scratch, language), target, { recursive: true });
        }
        console.error(
            `sdks: ${sdkLanguages.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        );
    } catch (error) {
        console.error(`sdks: ${(error as Error).message}`);
        process.exitCode = 1;
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}
