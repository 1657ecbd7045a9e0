// examples/go-new-cluster through the real Pulumi CLI and our go language host (which builds the
// program with `go build`): the generated Go SDK (sdk/go) creates the remote EncryptedCluster, which
// builds the TypeScript component's tree and gets the same verdict as from YAML and Python.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { repoRoot } from "../plan/support";
import { findingLines, pointAtProvider, tree } from "./support/componentTree";
import {
    EngineOutcome,
    realEngineMissing,
    runRealEngine,
    toolchainBin,
} from "./support/realEngine";

const example = path.join(repoRoot, "examples", "go-new-cluster");
const cluster = "ack-kms:index:EncryptedCluster";

function goMissing(): string | undefined {
    const engine = realEngineMissing();
    if (engine) return engine;
    if (!fs.existsSync(path.join(toolchainBin, "pulumi-language-go"))) {
        return "the go language host is not built (run `npm run toolchain`)";
    }
    if (!fs.existsSync(path.join(repoRoot, "lib", "provider", "index.js"))) {
        return "the provider is not compiled (run `npm run build`)";
    }
    return undefined;
}

/** The copy runs elsewhere: the provider and the SDK by absolute path, the list config as a list. */
function prepare(copy: string): void {
    pointAtProvider(copy, path.join(repoRoot, "provider"));
    execFileSync(
        "go",
        [
            "mod",
            "edit",
            `-replace=github.com/ack-kms/ack-kms/sdk/go=${path.join(repoRoot, "sdk", "go")}`,
        ],
        { cwd: copy },
    );
    const file = path.join(copy, "Pulumi.dev.yaml");
    const stack = YAML.parse(fs.readFileSync(file, "utf8"));
    stack.config["ack-kms-go-new-cluster:vswitchIds"] = ["vsw-a0001", "vsw-b0002"];
    fs.writeFileSync(file, YAML.stringify(stack));
}

describe("go-new-cluster: an EncryptedCluster from Go through the real Pulumi CLI", function () {
    const missing = goMissing();
    let preview: EngineOutcome;

    before(function () {
        if (missing) {
            console.log(`Go engine suite skipped: ${missing}.`);
            this.skip();
        }
        this.timeout(900_000);
        preview = runRealEngine(example, {
            config: ["operatorsGroup=ack-kms-dev-operators"],
            policyPacks: [path.join(repoRoot, "policy")],
            prepare,
            env: { GOFLAGS: "-mod=mod", GOWORK: "off" },
        });
    });

    it("builds the component's tree with the key protected, and passes the pack", function () {
        const context = `\nerrors: ${preview.errors.join(" | ")}\n${preview.stderr.slice(0, 2000)}`;
        assert.strictEqual(preview.exitCode, 0, context);
        const entries = tree(preview.resources);
        assert.strictEqual(entries.length, 10, JSON.stringify(entries, null, 1));
        assert.deepStrictEqual(
            entries.filter((e) => e.parent === `${cluster}::ack`).map((e) => e.resource),
            [
                `${cluster}$ack-kms:index:ClusterSecurityRole::ack-security-role`,
                `${cluster}$ack-kms:index:DenyKmsEncryptionUpdates::ack-deny-encryption-updates`,
                `${cluster}$ack-kms:index:SecretsEncryptionKey::ack-key`,
                `${cluster}$alicloud:cs/managedKubernetes:ManagedKubernetes::ack`,
            ],
        );
        assert.deepStrictEqual(
            entries.filter((e) => e.protect).map((e) => e.resource),
            [`${cluster}$ack-kms:index:SecretsEncryptionKey$alicloud:kms/key:Key::ack-key`],
        );
        assert.deepStrictEqual(
            findingLines(preview.findings).map((line) => line.split(" ")[0]),
            [
                "ram-deny-key-destruction-attached",
                "ram-deny-update-kms-encryption-attached",
                "ram-no-allow-update-kms-encryption",
            ],
        );
    });
});
