// examples/yaml-new-cluster through the real Pulumi CLI and Pulumi YAML's own language host
// (pulumi-yaml v1.25.0, built by `npm run toolchain`): the remote EncryptedCluster builds the same
// component tree as the TypeScript and Python reference stacks, and gets the same verdict.
import * as assert from "assert";
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

const example = path.join(repoRoot, "examples", "yaml-new-cluster");
const config = ["operatorsGroup=ack-kms-dev-operators"];

/** A typed list config value, which the stack file must hold as a list (the CLI checks the type). */
function writeVswitchIds(copy: string): void {
    const file = path.join(copy, "Pulumi.dev.yaml");
    const stack = YAML.parse(fs.readFileSync(file, "utf8"));
    stack.config["ack-kms-yaml-new-cluster:vswitchIds"] = ["vsw-a0001", "vsw-b0002"];
    fs.writeFileSync(file, YAML.stringify(stack));
}

function yamlMissing(): string | undefined {
    const engine = realEngineMissing();
    if (engine) return engine;
    if (!fs.existsSync(path.join(toolchainBin, "pulumi-language-yaml"))) {
        return "the YAML language host is not built (run `npm run toolchain`)";
    }
    if (!fs.existsSync(path.join(repoRoot, "lib", "provider", "index.js"))) {
        return "the provider is not compiled (run `npm run build`)";
    }
    return undefined;
}

function runYaml(extra: string[] = []): EngineOutcome {
    return runRealEngine(example, {
        config: [...config, ...extra],
        policyPacks: [path.join(repoRoot, "policy")],
        prepare: (copy) => {
            pointAtProvider(copy, path.join(repoRoot, "provider"));
            writeVswitchIds(copy);
        },
    });
}

const cluster = "ack-kms:index:EncryptedCluster";

describe("yaml-new-cluster: an EncryptedCluster from Pulumi YAML through the real Pulumi CLI", function () {
    const missing = yamlMissing();
    let preview: EngineOutcome;

    before(function () {
        if (missing) {
            console.log(`YAML engine suite skipped: ${missing}.`);
            this.skip();
        }
        this.timeout(600_000);
        preview = runYaml();
    });

    it("builds the component's tree, with the key protected", function () {
        const context = `\nerrors: ${preview.errors.join(" | ")}\n${preview.stderr.slice(0, 2000)}`;
        assert.strictEqual(preview.exitCode, 0, context);
        const entries = tree(preview.resources);
        assert.deepStrictEqual(
            entries.map((e) => e.resource),
            [
                `${cluster}::ack`,
                `${cluster}$ack-kms:index:ClusterSecurityRole::ack-security-role`,
                `${cluster}$ack-kms:index:ClusterSecurityRole$alicloud:ram/role:Role::ack-security-role-role`,
                `${cluster}$ack-kms:index:ClusterSecurityRole$alicloud:ram/rolePolicyAttachment:RolePolicyAttachment::ack-security-role-policy`,
                `${cluster}$ack-kms:index:DenyKmsEncryptionUpdates::ack-deny-encryption-updates`,
                `${cluster}$ack-kms:index:DenyKmsEncryptionUpdates$alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment::ack-deny-encryption-updates-group-ack-kms-dev-operators`,
                `${cluster}$ack-kms:index:DenyKmsEncryptionUpdates$alicloud:ram/policy:Policy::ack-deny-encryption-updates-policy`,
                `${cluster}$ack-kms:index:SecretsEncryptionKey::ack-key`,
                `${cluster}$ack-kms:index:SecretsEncryptionKey$alicloud:kms/key:Key::ack-key`,
                `${cluster}$alicloud:cs/managedKubernetes:ManagedKubernetes::ack`,
            ].sort((a, b) => a.localeCompare(b)),
        );
        const protectedOnes = entries.filter((e) => e.protect).map((e) => e.resource);
        assert.deepStrictEqual(protectedOnes, [
            `${cluster}$ack-kms:index:SecretsEncryptionKey$alicloud:kms/key:Key::ack-key`,
        ]);
    });

    it("passes the policy pack with the preview's three advisory notices", function () {
        assert.deepStrictEqual(findingLines(preview.findings), [
            "ram-deny-key-destruction-attached [advisory] ack-kms:index:EncryptedCluster$ack-kms:index:DenyKmsEncryptionUpdates$alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment::ack-deny-encryption-updates-group-ack-kms-dev-operators: Could not check the policy of attachment ack-deny-encryption-updates-group-ack-kms-dev-operators during preview: it is unknown until the update; it is checked then.",
            "ram-deny-update-kms-encryption-attached [advisory] ack-kms:index:EncryptedCluster$ack-kms:index:DenyKmsEncryptionUpdates$alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment::ack-deny-encryption-updates-group-ack-kms-dev-operators: Could not check the policy of attachment ack-deny-encryption-updates-group-ack-kms-dev-operators during preview: it is unknown until the update; it is checked then.",
            "ram-no-allow-update-kms-encryption [advisory] ack-kms:index:EncryptedCluster$ack-kms:index:DenyKmsEncryptionUpdates$alicloud:ram/policy:Policy::ack-deny-encryption-updates-policy: Could not check the policy document of RAM policy ack-deny-encryption-updates-policy during preview: it is unknown until the update; it is checked then.",
        ]);
    });

    it("fails a bad argument with the component's own message", function () {
        this.timeout(600_000);
        const rejected = runYaml(["clusterSpec=ack.standard"]);
        assert.notStrictEqual(rejected.exitCode, 0);
        assert.ok(
            rejected.errors.some((e) =>
                /\[cluster\.clusterSpec\] "ack\.standard" is not allowed: Secret encryption with KMS needs ACK Pro/.test(
                    e,
                ),
            ),
            `no clusterSpec error in: ${rejected.errors.join(" | ")}`,
        );
    });
});
