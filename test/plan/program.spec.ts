import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { secret, unknownSentinel } from "../../offline/analyzer";
import { loadMocksFile } from "../../offline/program/invokes";
import { defaultProviderName } from "../../offline/program/engineResources";
import { ProgramRun, runProgram } from "../../offline/program/runProgram";
import { fixture } from "./support";

const stack = "urn:pulumi:dev::plan-basic::pulumi:pulumi:Stack::plan-basic-dev";
const provider = "urn:pulumi:dev::plan-basic::pulumi:providers:alicloud::default_3_108_0";
const keyUrn = "urn:pulumi:dev::plan-basic::alicloud:kms/key:Key::secrets";
const clusterUrn =
    "urn:pulumi:dev::plan-basic::alicloud:cs/managedKubernetes:ManagedKubernetes::cluster";

describe("plan: running a program under the SDK mocks", () => {
    let preview: ProgramRun;
    let update: ProgramRun;
    before(async function () {
        // Program and pack processes share two cores with other suites: allow for a slow machine.
        this.timeout(240_000);
        [preview, update] = await Promise.all([
            runProgram({ dir: fixture("plan-basic") }),
            runProgram({ dir: fixture("plan-basic"), mode: "update" }),
        ]);
    });

    it("captures the root stack first and a default provider before its first user", () => {
        assert.deepStrictEqual(
            preview.resources.map((r) => `${r.type}::${r.name}`),
            [
                "pulumi:pulumi:Stack::plan-basic-dev",
                "pulumi:providers:alicloud::default_3_108_0",
                "alicloud:ram/policy:Policy::deny-kms-encryption-updates",
                "alicloud:kms/key:Key::secrets",
                "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment::deny-ops",
                "alicloud:cs/managedKubernetes:ManagedKubernetes::cluster",
            ],
        );
        const root = preview.resources[0];
        assert.strictEqual(root.urn, stack);
        assert.strictEqual(root.custom, false);
        assert.strictEqual(root.parent, undefined);
    });

    it("gives the default provider the stack's alicloud config and the package version", () => {
        const defaultProvider = preview.resources[1];
        assert.strictEqual(defaultProvider.urn, provider);
        assert.deepStrictEqual(defaultProvider.properties, {
            region: "cn-shanghai",
            version: "3.108.0",
        });
        const key = preview.resources.find((r) => r.urn === keyUrn);
        assert.deepStrictEqual(key?.provider, {
            urn: provider,
            type: "pulumi:providers:alicloud",
            name: "default_3_108_0",
            properties: { region: "cn-shanghai", version: "3.108.0" },
        });
    });

    it("keeps options, parents and property dependencies as the engine sees them", () => {
        const key = preview.resources.find((r) => r.urn === keyUrn);
        const cluster = preview.resources.find((r) => r.urn === clusterUrn);
        assert.strictEqual(key?.protect, true);
        assert.strictEqual(cluster?.protect, false);
        assert.strictEqual(cluster?.parent, stack);
        assert.deepStrictEqual(cluster?.propertyDependencies.encryptionProviderKey, [keyUrn]);
        assert.ok(cluster?.dependencies.includes(keyUrn));
    });

    it("leaves ids and the key reference unknown in preview", () => {
        const key = preview.resources.find((r) => r.urn === keyUrn);
        const cluster = preview.resources.find((r) => r.urn === clusterUrn);
        assert.strictEqual(key?.id, unknownSentinel);
        assert.strictEqual(cluster?.properties.encryptionProviderKey, unknownSentinel);
        assert.strictEqual(preview.resources[1].id, unknownSentinel);
        // Outputs of a new resource in a preview are its inputs (after any remediation).
        assert.strictEqual(cluster?.outputs, undefined);
    });

    it("answers the zones data source from the stack's region", () => {
        const cluster = preview.resources.find((r) => r.urn === clusterUrn);
        assert.deepStrictEqual(cluster?.properties.vswitchIds, ["vsw-cn-shanghai-a"]);
        assert.deepStrictEqual(preview.invokes, [
            { token: "alicloud:index/getZones:getZones", answered: true },
        ]);
    });

    it("keeps secrets in the engine's encoding and reports the undecryptable config", () => {
        assert.deepStrictEqual(preview.resources[0].outputs, {
            adminPassword: secret("[secret: not decrypted offline]"),
            clusterId: unknownSentinel,
        });
        assert.deepStrictEqual(preview.notes, [
            "Config plan-basic:adminPassword is encrypted (secure:) and cannot be decrypted offline: the program gets a secret placeholder. Pass --config plan-basic:adminPassword=<value> to plan with a real value.",
        ]);
    });

    it("gives known, plausible ids and outputs in update mode", () => {
        const key = update.resources.find((r) => r.urn === keyUrn);
        const cluster = update.resources.find((r) => r.urn === clusterUrn);
        assert.match(String(key?.id), /^key-[a-z0-9]{24}$/);
        assert.strictEqual(
            key?.outputs?.arn,
            `acs:kms:cn-shanghai:1000000000000001:key/${key?.id}`,
        );
        assert.strictEqual(key?.outputs?.status, "Enabled");
        assert.strictEqual(cluster?.properties.encryptionProviderKey, key?.id);
        assert.match(String(cluster?.id), /^c[0-9a-f]{32}$/);
        assert.match(String(update.resources[1].id), /^[0-9a-f-]{36}$/);
        assert.deepStrictEqual(update.resources[0].outputs?.clusterId, cluster?.id);
    });

    it("fails with the program's own message when it throws", async () => {
        await assert.rejects(runProgram({ dir: fixture("plan-throws") }), {
            name: "ProgramRunError",
            message:
                'The program in test/fixtures/plan-throws failed: [clusterSpec] "ack.standard" is not ACK Pro: use ack.pro.small.',
        });
    });

    it("type-checks a TypeScript program by default, as the Pulumi CLI does", async () => {
        // Written at run time: a fixture with a type error would break the project's own tsc.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-type-error-"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            "name: plan-type-error\nmain: index.ts\nruntime: nodejs\n",
        );
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            'const replicas: number = "three";\nexport const value = replicas;\n',
        );
        try {
            await assert.rejects(runProgram({ dir }), {
                message:
                    `The program in ${dir} failed: TSError: ⨯ Unable to compile TypeScript:\n` +
                    "index.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.",
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names an unknown data source and how to supply its result", async () => {
        await assert.rejects(runProgram({ dir: fixture("plan-missing-invoke") }), {
            message:
                "The program in test/fixtures/plan-missing-invoke failed: ack-kms plan has no offline result for the data source alicloud:ecs/getInstanceTypes:getInstanceTypes: give one with --mocks <file>, a JSON or YAML file such as " +
                '{"invokes": {"alicloud:ecs/getInstanceTypes:getInstanceTypes": { ...result fields... }}}.',
        });
    });

    it("takes data source results and resource outputs from a --mocks file", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-mocks-")), "mocks.yaml");
        fs.writeFileSync(
            file,
            'invokes:\n  "alicloud:ecs/getInstanceTypes:getInstanceTypes":\n    ids: [ecs.g7.large]\n    instanceTypes: []\n',
        );
        const run = await runProgram({
            dir: fixture("plan-missing-invoke"),
            mocks: loadMocksFile(file),
        });
        assert.deepStrictEqual(run.resources[0].outputs, { instanceTypes: ["ecs.g7.large"] });
        fs.rmSync(path.dirname(file), { recursive: true });
    });

    it("names default providers as the engine does", () => {
        assert.strictEqual(defaultProviderName(undefined), "default");
        assert.strictEqual(defaultProviderName("3.108.0"), "default_3_108_0");
        assert.strictEqual(defaultProviderName("4.0.0-alpha.1+b7"), "default_4_0_0_alpha_1_b7");
    });
});
