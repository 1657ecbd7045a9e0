// End-to-end check of how the guard's provider is loaded in real deployments: builds ack-kms into a
// throw-away stack's node_modules, serializes the provider as dynamic.Resource does, and runs it in a
// plain Node process (no ts-node) whose cwd is the stack, as the dynamic provider host does, against
// the KMS emulator. Run: npx ts-node --transpile-only bench/guard/installedPackage.ts

import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    createKeyDeletionGuardProvider,
    providerPackageModule,
} from "../../components/keyDeletionGuard/provider";
import { KmsEmulator } from "../../test/support/kmsEmulator";

const root = path.resolve(__dirname, "..", "..");
const hostScript = `
const requireFromString = require(${JSON.stringify(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }))});
const job = JSON.parse(require("fs").readFileSync("job.json", "utf8"));
const provider = requireFromString(job.text).handler();
provider.create(job.inputs)
    .then((created) => provider.delete(created.id, created.outs))
    .then(() => console.log("provider host: create and delete succeeded"),
          (error) => { console.error("provider host: " + error.message); process.exitCode = 1; });
`;

async function main(): Promise<void> {
    const stack = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-stack-"));
    const installed = path.join(stack, "node_modules", "ack-kms");
    fs.mkdirSync(installed, { recursive: true });
    fs.copyFileSync(path.join(root, "package.json"), path.join(installed, "package.json"));
    try {
        execFileSync(
            process.execPath,
            [
                require.resolve("typescript/bin/tsc"),
                "-p",
                path.join(root, "tsconfig.build.json"),
                "--outDir",
                path.join(installed, "lib"),
            ],
            { stdio: "pipe" },
        );
    } catch {
        // Type errors elsewhere in a work-in-progress tree do not stop tsc from emitting.
    }
    const accessKey = {
        accessKeyId: "LTAIinstalledCheck",
        accessKeySecret: "installed-check-secret",
    };
    const emulator = await new KmsEmulator({ accessKeys: [accessKey] }).start();
    try {
        const keyId = emulator.seedKey();
        // Only the package path, so nothing but the installed package can satisfy the host.
        const provider = createKeyDeletionGuardProvider({
            moduleCandidates: [providerPackageModule],
        });
        const serialized = await pulumi.runtime.serializeFunction(() => provider, {
            allowSecrets: true,
        });
        const inputs = {
            kind: "ack-kms:KeyDeletionGuard",
            keyId,
            regionId: emulator.regionId,
            boundTo: "installed",
            endpoint: emulator.endpoint,
        };
        fs.writeFileSync(
            path.join(stack, "job.json"),
            JSON.stringify({ text: serialized.text, inputs }),
        );
        fs.writeFileSync(path.join(stack, "host.js"), hostScript);
        const exitCode = await new Promise<number | null>((resolve) => {
            const host = spawn(process.execPath, ["host.js"], {
                cwd: stack,
                stdio: "inherit",
                // The package's own dependencies come from this checkout's node_modules.
                env: {
                    PATH: process.env.PATH,
                    NODE_PATH: path.join(root, "node_modules"),
                    ALICLOUD_ACCESS_KEY: accessKey.accessKeyId,
                    ALICLOUD_SECRET_KEY: accessKey.accessKeySecret,
                },
            });
            host.on("exit", resolve);
        });
        console.log(
            `KMS calls: ${JSON.stringify(emulator.callCounts())}; protection now ${emulator.key(keyId).deletionProtection}`,
        );
        if (exitCode !== 0 || emulator.callCount("SetDeletionProtection") !== 2) {
            process.exitCode = 1;
        }
    } finally {
        await emulator.stop();
        fs.rmSync(stack, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
