// The Python reference stack (examples/python-new-cluster) through the real Pulumi CLI: the Python
// SDK program, our python language host, the generated ack-kms SDK (sdk/python), the ack-kms
// provider (provider/, a source-based nodejs plugin) constructing the TypeScript EncryptedCluster,
// the stand-in alicloud provider and the policy pack. `ack-kms plan` of the TypeScript reference
// must see the same tree and verdict.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { pythonBinary } from "../../scripts/toolchain/pythonVenv";
import { repoRoot } from "../plan/support";
import { runPlan } from "./support/planEngine";
import { findingLines, pointAtProvider, tree } from "./support/componentTree";
import {
    EngineOutcome,
    realEngineMissing,
    runRealEngine,
    toolchainBin,
} from "./support/realEngine";

const pythonExample = path.join(repoRoot, "examples", "python-new-cluster");
const typescriptExample = path.join(repoRoot, "examples", "new-cluster");
const providerDir = path.join(repoRoot, "provider");
const policyPackDir = path.join(repoRoot, "policy");

function pythonMissing(): string | undefined {
    const engine = realEngineMissing();
    if (engine) return engine;
    if (!fs.existsSync(path.join(toolchainBin, "pulumi-language-python"))) {
        return "the python language host is not built (run `npm run toolchain`)";
    }
    if (!fs.existsSync(pythonBinary)) {
        return "the Python virtualenv is not made (run `npm run toolchain`; it needs python3)";
    }
    if (!fs.existsSync(path.join(repoRoot, "lib", "provider", "index.js"))) {
        return "the provider is not compiled (run `npm run build`)";
    }
    return undefined;
}

function runPython(options: { config?: string[]; mode?: "preview" | "update" } = {}) {
    return runRealEngine(pythonExample, {
        config: options.config,
        mode: options.mode,
        policyPacks: [policyPackDir],
        prepare: (copy) => pointAtProvider(copy, providerDir),
        exportState: options.mode === "update",
        env: { PULUMI_PYTHON_CMD: pythonBinary },
    });
}

function byName(outcome: EngineOutcome, type: string, name: string) {
    return outcome.resources.find((r) => r.type === type && r.urn.endsWith(`::${name}`));
}

const cluster = "ack-kms:index:EncryptedCluster";

describe("python-new-cluster: an EncryptedCluster from Python through the real Pulumi CLI", function () {
    const missing = pythonMissing();
    let preview: EngineOutcome;

    before(function () {
        if (missing) {
            console.log(`python engine suite skipped: ${missing}.`);
            this.skip();
        }
        this.timeout(600_000);
        preview = runPython();
    });

    it("builds the TypeScript component's tree under the remote EncryptedCluster", function () {
        const context = `\nerrors: ${preview.errors.join(" | ")}\n${preview.stderr.slice(0, 2000)}`;
        assert.strictEqual(preview.exitCode, 0, context);
        const entries = tree(preview.resources);
        const under = (parent: string) =>
            entries.filter((e) => e.parent === parent).map((e) => e.resource);
        assert.deepStrictEqual(under(`${cluster}::ack`), [
            `${cluster}$ack-kms:index:ClusterSecurityRole::ack-security-role`,
            `${cluster}$ack-kms:index:DenyKmsEncryptionUpdates::ack-deny-encryption-updates`,
            `${cluster}$ack-kms:index:SecretsEncryptionKey::ack-key`,
            `${cluster}$alicloud:cs/managedKubernetes:ManagedKubernetes::ack`,
        ]);
        assert.deepStrictEqual(under(`${cluster}$ack-kms:index:SecretsEncryptionKey::ack-key`), [
            `${cluster}$ack-kms:index:SecretsEncryptionKey$alicloud:kms/key:Key::ack-key`,
        ]);
        assert.deepStrictEqual(
            under(`${cluster}$ack-kms:index:ClusterSecurityRole::ack-security-role`),
            [
                `${cluster}$ack-kms:index:ClusterSecurityRole$alicloud:ram/role:Role::ack-security-role-role`,
                `${cluster}$ack-kms:index:ClusterSecurityRole$alicloud:ram/rolePolicyAttachment:RolePolicyAttachment::ack-security-role-policy`,
            ],
        );
    });

    it("protects the KMS key, and only the key", function () {
        const key = byName(preview, "alicloud:kms/key:Key", "ack-key");
        assert.ok(key, "the preview has no alicloud:kms/key:Key ack-key");
        assert.strictEqual(key.protect, true);
        const protectedOnes = preview.resources.filter((r) => r.protect).map((r) => r.urn);
        assert.deepStrictEqual(protectedOnes, [key.urn]);
    });

    it("passes the policy pack with the three advisory notices of a preview", function () {
        assert.deepStrictEqual(findingLines(preview.findings), [
            "ram-deny-key-destruction-attached [advisory] ack-kms:index:EncryptedCluster$ack-kms:index:DenyKmsEncryptionUpdates$alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment::ack-deny-encryption-updates-group-#0: Could not check the policy of attachment ack-deny-encryption-updates-group-#0 during preview: it is unknown until the update; it is checked then.",
            "ram-deny-update-kms-encryption-attached [advisory] ack-kms:index:EncryptedCluster$ack-kms:index:DenyKmsEncryptionUpdates$alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment::ack-deny-encryption-updates-group-#0: Could not check the policy of attachment ack-deny-encryption-updates-group-#0 during preview: it is unknown until the update; it is checked then.",
            "ram-no-allow-update-kms-encryption [advisory] ack-kms:index:EncryptedCluster$ack-kms:index:DenyKmsEncryptionUpdates$alicloud:ram/policy:Policy::ack-deny-encryption-updates-policy: Could not check the policy document of RAM policy ack-deny-encryption-updates-policy during preview: it is unknown until the update; it is checked then.",
        ]);
    });

    it("sees the same tree and verdict as ack-kms plan of the TypeScript reference", function () {
        this.timeout(600_000);
        const planned = runPlan(typescriptExample, { policyPacks: [policyPackDir] });
        assert.ok(planned.report, `plan gave no report: ${planned.stderr.slice(0, 2000)}`);
        const planTree = tree(planned.report.resources);
        assert.strictEqual(planTree.length, 14, JSON.stringify(planTree, null, 1));
        // The remote component's children are the same; only the stack root's project differs.
        assert.deepStrictEqual(tree(preview.resources), planTree);
        assert.deepStrictEqual(findingLines(preview.findings), findingLines(planned.findings));
        assert.strictEqual(planned.exitCode, 0);
        assert.strictEqual(preview.exitCode, 0);
    });

    it("fails a bad argument with the component's own message", function () {
        this.timeout(600_000);
        const rejected = runPython({ config: ["clusterSpec=ack.standard"] });
        assert.notStrictEqual(rejected.exitCode, 0);
        const message = rejected.errors.find((e) => e.includes("[cluster.clusterSpec]"));
        assert.ok(message, `no clusterSpec error in: ${rejected.errors.join(" | ")}`);
        assert.match(
            message,
            /\[cluster\.clusterSpec\] "ack\.standard" is not allowed: Secret encryption with KMS needs ACK Pro/,
        );
        assert.ok(
            !rejected.resources.some(
                (r) => r.type === "alicloud:cs/managedKubernetes:ManagedKubernetes",
            ),
            "a cluster was registered despite the bad argument",
        );
    });

    it("records the component's dependencies on `pulumi up` and keeps the kubeconfig secret", function () {
        this.timeout(600_000);
        const updated = runPython({ mode: "update" });
        assert.strictEqual(updated.exitCode, 0, updated.errors.join(" | "));
        const resources = updated.deployment?.resources ?? [];
        const find = (type: string, name: string) =>
            resources.find((r) => r.type === type && String(r.urn).endsWith(`::${name}`));
        const managed = find("alicloud:cs/managedKubernetes:ManagedKubernetes", "ack");
        assert.ok(managed, "the state has no ManagedKubernetes ack");
        const deps = ((managed.dependencies as string[]) ?? []).map((u) => u.split("::").pop());
        for (const dep of ["ack-security-role-role", "ack-security-role-policy", "ack-key"]) {
            assert.ok(deps.includes(dep), `ManagedKubernetes does not depend on ${dep}: ${deps}`);
        }
        const key = find("alicloud:kms/key:Key", "ack-key");
        assert.strictEqual(key?.protect, true);
        const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
        const kubeconfig = (stack?.outputs as Record<string, unknown> | undefined)?.kubeconfig as
            Record<string, unknown> | undefined;
        assert.ok(
            kubeconfig && "ciphertext" in kubeconfig,
            "the stack's kubeconfig is not a secret",
        );
        const component = find(cluster, "ack");
        const state = component?.outputs as Record<string, unknown> | undefined;
        assert.ok(
            state?.kubeconfig &&
                typeof state.kubeconfig === "object" &&
                "ciphertext" in state.kubeconfig,
            "the component's kubeconfig output is not a secret",
        );
    });
});
