import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import {
    isSecret,
    MockOptions,
    MockRun,
    mockKubeconfig,
    setupMocks,
    valueOf,
} from "../support/mocks";

const root = path.resolve(__dirname, "../..");
const examplesDir = path.join(root, "examples");

const t = {
    vpc: "alicloud:vpc/network:Network",
    vswitch: "alicloud:vpc/switch:Switch",
    group: "alicloud:ram/group:Group",
    encryptedCluster: "ack-kms:index:EncryptedCluster",
    key: "alicloud:kms/key:Key",
    role: "alicloud:ram/role:Role",
    policy: "alicloud:ram/policy:Policy",
    groupPolicy: "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment",
    managed: "alicloud:cs/managedKubernetes:ManagedKubernetes",
    serverless: "alicloud:cs/serverlessKubernetes:ServerlessKubernetes",
    guard: "pulumi-nodejs:dynamic:Resource",
};

function readYaml(file: string): any {
    return parse(fs.readFileSync(file, "utf8"));
}

/** Stack config as the CLI would pass it: Pulumi.dev.yaml, plus overrides. */
function stackConfig(example: string, extra: Record<string, unknown> = {}): Record<string, string> {
    const file = readYaml(path.join(examplesDir, example, "Pulumi.dev.yaml"));
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...(file?.config ?? {}), ...extra })) {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

/** Runs an example's index.ts as `pulumi up` (or preview) would, and returns its exports. */
async function runExample(
    example: string,
    options: MockOptions,
): Promise<{ run: MockRun; exports: Record<string, pulumi.Output<unknown>> }> {
    const project = readYaml(path.join(examplesDir, example, "Pulumi.yaml")).name as string;
    const run = await setupMocks({ project, stack: "dev", ...options });
    const entry = require.resolve(path.join(examplesDir, example, "index.ts"));
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(entry) as Record<string, pulumi.Output<unknown>>;
    await run.settle();
    return { run, exports };
}

describe("examples", () => {
    describe("new-cluster (the reference stack)", () => {
        it("creates the VPC, two vSwitches in two zones, the operators group and the encrypted cluster", async () => {
            const { run, exports } = await runExample("new-cluster", {
                config: stackConfig("new-cluster"),
            });
            assert.deepStrictEqual(run.errors, []);
            assert.deepStrictEqual(run.warnings, []);

            const vswitches = run.ofType(t.vswitch);
            assert.deepStrictEqual(
                vswitches.map((v) => [v.name, v.inputs.zoneId, v.inputs.cidrBlock]),
                [
                    ["vswitch-0", "cn-hangzhou-h", "10.1.0.0/16"],
                    ["vswitch-1", "cn-hangzhou-i", "10.2.0.0/16"],
                ],
            );
            const cluster = run.get(t.managed, "ack");
            assert.deepStrictEqual(cluster.inputs.vswitchIds, ["vswitch-0-id", "vswitch-1-id"]);
            assert.strictEqual(cluster.inputs.name, "ack-kms-dev");
            assert.strictEqual(cluster.inputs.clusterSpec, "ack.pro.small");
            assert.strictEqual(cluster.inputs.encryptionProviderKey, "ack-key-id");
            assert.strictEqual(cluster.inputs.disableEncryption, false);
            assert.strictEqual(cluster.inputs.deletionProtection, true);
            assert.strictEqual(run.get(t.key, "ack-key").protect, true);
            assert.strictEqual(
                run.get(t.role, "ack-security-role-role").inputs.roleName,
                "AliyunCSManagedSecurityRole",
            );
            const attachment = run.get(t.groupPolicy, "ack-deny-encryption-updates-group-#0");
            assert.strictEqual(attachment.inputs.groupName, "ack-kms-dev-operators");
            assert.deepStrictEqual(attachment.propertyDependencies.groupName, [
                run.get(t.group, "operators").urn,
            ]);

            assert.strictEqual(await valueOf(exports.clusterId), "ack-id");
            assert.strictEqual(await valueOf(exports.keyId), "ack-key-id");
            assert.strictEqual(await valueOf(exports.kubeconfig), mockKubeconfig);
            assert.strictEqual(await isSecret(exports.kubeconfig), true);
        });

        it("previews with unknown ids, the cluster still bound to its key", async () => {
            const { run, exports } = await runExample("new-cluster", {
                preview: true,
                config: stackConfig("new-cluster"),
            });
            assert.deepStrictEqual(run.errors, []);
            const cluster = run.get(t.managed, "ack");
            assert.deepStrictEqual(cluster.propertyDependencies.encryptionProviderKey, [
                run.get(t.key, "ack-key").urn,
            ]);
            assert.strictEqual(await valueOf(exports.clusterId), undefined);
            assert.strictEqual(await isSecret(exports.kubeconfig), true);
        });

        it("only checks the security role with securityRoleMode existing", async () => {
            const { run } = await runExample("new-cluster", {
                config: stackConfig("new-cluster", {
                    "ack-kms-new-cluster:securityRoleMode": "existing",
                    "ack-kms-new-cluster:zoneIds": ["cn-hangzhou-k", "cn-hangzhou-j"],
                }),
            });
            assert.strictEqual(run.ofType(t.role).length, 0);
            assert.deepStrictEqual(
                run.ofType(t.vswitch).map((v) => v.inputs.zoneId),
                ["cn-hangzhou-k", "cn-hangzhou-j"],
            );
            assert.ok(run.invokes.some((i) => i.token === "alicloud:ram/getRoles:getRoles"));
        });

        it("runs from the root project, whose main is the reference stack's index.ts", () => {
            const rootProject = readYaml(path.join(root, "Pulumi.yaml"));
            assert.strictEqual(rootProject.name, "ack-kms");
            assert.strictEqual(rootProject.runtime.name, "nodejs");
            assert.strictEqual(rootProject.main, "examples/new-cluster/index.ts");
            assert.ok(fs.statSync(path.join(root, rootProject.main)).isFile());
            assert.deepStrictEqual(rootProject.config["alicloud:region"], { value: "cn-hangzhou" });
        });
    });

    describe("existing-key", () => {
        const keyId = "key-hzz62f1c3b2d6y4mdp1xx";
        const config = () =>
            stackConfig("existing-key", {
                "ack-kms-existing-key:keyId": keyId,
                "ack-kms-existing-key:vswitchIds": ["vsw-a", "vsw-b"],
            });

        it("binds the cluster to the configured key, guarded before the cluster is created", async () => {
            const { run, exports } = await runExample("existing-key", { config: config() });
            assert.deepStrictEqual(run.errors, []);
            assert.strictEqual(run.ofType(t.key).length, 0);
            const guard = run.get(t.guard, "ack-key-guard-deletion-protection");
            assert.strictEqual(guard.inputs.keyId, keyId);
            assert.strictEqual(guard.inputs.regionId, "cn-hangzhou");
            assert.strictEqual(guard.inputs.boundTo, "ACK cluster ack-kms-existing-key-dev");
            const cluster = run.get(t.managed, "ack");
            assert.strictEqual(cluster.inputs.encryptionProviderKey, keyId);
            assert.deepStrictEqual(cluster.inputs.vswitchIds, ["vsw-a", "vsw-b"]);
            assert.ok(cluster.dependencies.includes(guard.urn));
            assert.strictEqual(run.ofType(t.role).length, 0);
            assert.strictEqual(await valueOf(exports.keyId), keyId);
        });

        it("fails with the missing config key named when keyId is not set", async () => {
            await assert.rejects(
                runExample("existing-key", {
                    config: stackConfig("existing-key", {
                        "ack-kms-existing-key:vswitchIds": ["vsw-a"],
                    }),
                }),
                (e: Error) => {
                    assert.match(
                        e.message,
                        /^Missing required configuration variable 'ack-kms-existing-key:keyId'/,
                    );
                    return true;
                },
            );
        });
    });

    describe("serverless", () => {
        it("creates an ACK Serverless Pro cluster with Secret encryption in a new VPC", async () => {
            const { run, exports } = await runExample("serverless", {
                config: stackConfig("serverless"),
            });
            assert.deepStrictEqual(run.errors, []);
            const cluster = run.get(t.serverless, "serverless");
            assert.strictEqual(cluster.inputs.vpcId, "vpc-id");
            assert.deepStrictEqual(cluster.inputs.vswitchIds, ["vswitch-id"]);
            assert.strictEqual(cluster.inputs.clusterSpec, "ack.pro.small");
            assert.strictEqual(cluster.inputs.encryptionProviderKey, "serverless-key-id");
            assert.strictEqual(cluster.inputs.disableEncryption, false);
            assert.strictEqual(run.get(t.vswitch, "vswitch").inputs.zoneId, "cn-hangzhou-h");
            assert.strictEqual(await valueOf(exports.clusterId), "serverless-id");
        });
    });

    describe("project files", () => {
        for (const example of ["new-cluster", "existing-key", "serverless"]) {
            it(`${example} is a TypeScript Node.js project whose main is its index.ts, with a README`, () => {
                const project = readYaml(path.join(examplesDir, example, "Pulumi.yaml"));
                assert.strictEqual(project.name, `ack-kms-${example}`);
                assert.deepStrictEqual(project.runtime, {
                    name: "nodejs",
                    options: { typescript: true },
                });
                assert.strictEqual(project.main, "index.ts");
                assert.ok(fs.existsSync(path.join(examplesDir, example, "README.md")));
                assert.strictEqual(
                    stackConfig(example)["alicloud:region"],
                    "cn-hangzhou",
                    "Pulumi.dev.yaml sets the region",
                );
            });
        }
    });
});
