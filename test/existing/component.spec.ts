// ExistingClusterEncryption under the SDK's mocks: what it registers, what it refuses, and what its
// serialized dynamic provider carries into the state.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { startCsEmulator } from "../support/csEmulator";
import { KmsEmulator } from "../support/kmsEmulator";
import { MockRun, setupMocks, valueOf } from "../support/mocks";

const dynamicType = "pulumi-nodejs:dynamic:Resource";
const secret = "sEcReT-value-that-must-not-leak-0123456789";

describe("ExistingClusterEncryption (mocks)", () => {
    let run: MockRun;
    let mod: typeof import("../../components/existingClusterEncryption");
    const savedEnv = { ...process.env };

    beforeEach(async () => {
        process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAIvisibleId";
        process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = secret;
        process.env.ALIBABA_CLOUD_SECURITY_TOKEN = `${secret}-token`;
        run = await setupMocks();
        mod = await import("../../components/existingClusterEncryption");
    });
    afterEach(() => {
        process.env = { ...savedEnv };
    });

    it("registers one dynamic resource marked with its kind and the plain inputs", async () => {
        const enc = new mod.ExistingClusterEncryption("prod", {
            clusterId: "c0123456789abcdef",
            keyId: "key-hzz123",
            regionId: "cn-hangzhou",
        });
        await run.settle();
        const [resource] = run.ofType(dynamicType);
        assert.equal(resource.name, "prod-encryption");
        assert.equal(resource.inputs.kind, "ack-kms:ExistingClusterEncryption");
        assert.deepEqual(
            [
                resource.inputs.clusterId,
                resource.inputs.keyId,
                resource.inputs.regionId,
                resource.inputs.disableOnDelete,
            ],
            ["c0123456789abcdef", "key-hzz123", "cn-hangzhou", false],
        );
        assert.equal(
            run.get("ack-kms:index:ExistingClusterEncryption", "prod").type,
            mod.ExistingClusterEncryption.__pulumiType,
        );
        assert.equal(
            resource.parent,
            run.get("ack-kms:index:ExistingClusterEncryption", "prod").urn,
        );
        assert.ok(pulumi.Output.isInstance(enc.keyId));
    });

    it("keeps plain inputs known in preview when the key id is not known yet", async () => {
        run = await setupMocks({ preview: true });
        const keys = await import("../../components/secretsEncryptionKey");
        const key = new keys.SecretsEncryptionKey("secrets", { boundTo: "ACK cluster c0123" });
        new mod.ExistingClusterEncryption("prod", {
            clusterId: "c0123456789abcdef",
            keyId: key.keyId,
            regionId: "cn-hangzhou",
        });
        await run.settle();
        const [resource] = run.ofType(dynamicType);
        const keyUrn = run.get("alicloud:kms/key:Key", "secrets").urn;
        assert.equal(resource.rawInputs.keyId, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
        assert.equal(resource.rawInputs.clusterId, "c0123456789abcdef");
        assert.equal(resource.rawInputs.regionId, "cn-hangzhou");
        assert.deepEqual(resource.propertyDependencies.keyId, [keyUrn]);
        assert.deepEqual(resource.propertyDependencies.clusterId ?? [], []);
        assert.deepEqual(resource.propertyDependencies.regionId ?? [], []);
    });

    it("serializes a provider that holds no credential and stays small", async () => {
        new mod.ExistingClusterEncryption("prod", {
            clusterId: "c0123456789abcdef",
            keyId: "key-hzz123",
            regionId: "cn-hangzhou",
            pollIntervalSeconds: 5,
        });
        await run.settle();
        const [resource] = run.ofType(dynamicType);
        const serialized = String(resource.inputs.__provider);
        assert.ok(serialized.length > 0);
        assert.ok(
            !serialized.includes(secret),
            "the access key secret is in the serialized provider",
        );
        assert.ok(
            !serialized.includes("LTAIvisibleId"),
            "the access key id is in the serialized provider",
        );
        const state = JSON.stringify(resource.inputs);
        assert.ok(!state.includes(secret), "the secret is in the resource's inputs");
        assert.ok(
            serialized.length < 6_000,
            `serialized provider is ${serialized.length} characters`,
        );
        assert.match(serialized, /existingClusterEncryption\/operations/);
        assert.match(serialized, /pollIntervalMs: 5000|"pollIntervalMs":5000|pollIntervalMs:5000/);
    });

    it("tells the provider which inputs were secrets, and nothing when none were", async () => {
        new mod.ExistingClusterEncryption("secret", {
            clusterId: pulumi.secret("c0123456789abcdef"),
            keyId: "key-hzz123",
            regionId: pulumi.output("cn-hangzhou"),
        });
        new mod.ExistingClusterEncryption("plain", {
            clusterId: "c1",
            keyId: "key-hzz123",
            regionId: "cn-hangzhou",
        });
        await run.settle();
        const secretOne = run.get(dynamicType, "secret-encryption");
        const plainOne = run.get(dynamicType, "plain-encryption");
        assert.deepEqual(secretOne.inputs.secretInputs, ["clusterId"]);
        assert.equal("secretInputs" in plainOne.inputs, false);
    });

    it("serializes a provider that holds no absolute path of the machine that built the stack", async () => {
        new mod.ExistingClusterEncryption("prod", {
            clusterId: "c0123456789abcdef",
            keyId: "key-hzz123",
            regionId: "cn-hangzhou",
        });
        await run.settle();
        const serialized = String(run.ofType(dynamicType)[0].inputs.__provider);
        const root = path.resolve(__dirname, "..", "..");
        assert.ok(!serialized.includes(root), `the serialized provider names ${root}`);
        assert.ok(!serialized.includes(tmpdir()), "the serialized provider names the temp folder");
        assert.match(
            serialized,
            /\["ack-kms\/lib\/components\/existingClusterEncryption\/operations", "\.\/components\/existingClusterEncryption\/operations", "\.\/lib\/components\/existingClusterEncryption\/operations"\]/,
        );
    });

    it("names a package path that resolves to the built operations module", async () => {
        const { providerPackageModule } =
            await import("../../components/existingClusterEncryption/provider");
        assert.equal(
            require.resolve(providerPackageModule),
            path.resolve(__dirname, "../../lib/components/existingClusterEncryption/operations.js"),
        );
    });

    it("runs from its serialized text in a fresh process, as the dynamic provider host does", async () => {
        const credentials = { accessKeyId: "LTAIhostKey", accessKeySecret: "host-secret" };
        const cs = await startCsEmulator({ credentials: [credentials], updateDurationMs: 30 });
        const kms = await new KmsEmulator({ accessKeys: [credentials] }).start();
        try {
            cs.addCluster({ clusterId: "c1" });
            kms.seedKey({ keyId: "key-1" });
            new mod.ExistingClusterEncryption("prod", {
                clusterId: "c1",
                keyId: "key-1",
                regionId: "cn-hangzhou",
                pollIntervalSeconds: 0.02,
            });
            await run.settle();
            const dir = mkdtempSync(path.join(tmpdir(), "ack-kms-provider-"));
            const file = path.join(dir, "provider.js");
            writeFileSync(file, String(run.ofType(dynamicType)[0].inputs.__provider));
            const inputs = {
                kind: "ack-kms:ExistingClusterEncryption",
                clusterId: "c1",
                keyId: "key-1",
                regionId: "cn-hangzhou",
                disableOnDelete: false,
                csEndpoint: cs.url,
                kmsEndpoint: kms.endpoint,
            };
            const script = `require(${JSON.stringify(file)}).handler().create(${JSON.stringify(inputs)})
                .then((r) => process.stdout.write("RESULT " + JSON.stringify(r)), (e) => { console.error(e); process.exit(3); });`;
            const output = await new Promise<string>((resolve, reject) =>
                execFile(
                    process.execPath,
                    ["-r", "ts-node/register/transpile-only", "-e", script],
                    {
                        cwd: path.resolve(__dirname, "..", ".."),
                        env: {
                            PATH: process.env.PATH,
                            ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
                            ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret,
                        },
                    },
                    (error, stdout, stderr) =>
                        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
                ),
            );
            const result = JSON.parse(output.slice(output.indexOf("RESULT ") + 7)) as {
                id: string;
                outs: any;
            };
            assert.equal(result.id, "c1");
            assert.equal(result.outs.kmsKeyId, "key-1");
            assert.equal(cs.clusters.get("c1")!.encryptionKeyId, "key-1");
        } finally {
            await cs.close();
            await kms.stop();
        }
    });

    it("passes endpoint overrides and disableOnDelete through, and warns about the latter", async () => {
        new mod.ExistingClusterEncryption("prod", {
            clusterId: "c1",
            keyId: "key-1",
            regionId: "cn-hangzhou",
            csEndpoint: pulumi.output("http://127.0.0.1:9000"),
            kmsEndpoint: "kms-vpc.cn-hangzhou.aliyuncs.com",
            disableOnDelete: true,
        });
        await run.settle();
        const [resource] = run.ofType(dynamicType);
        assert.equal(resource.inputs.csEndpoint, "http://127.0.0.1:9000");
        assert.equal(resource.inputs.kmsEndpoint, "kms-vpc.cn-hangzhou.aliyuncs.com");
        assert.equal(resource.inputs.disableOnDelete, true);
        assert.ok(
            run.warnings.some((w) =>
                w.includes(
                    "disableOnDelete is on: deleting prod turns Secret encryption off on the cluster.",
                ),
            ),
        );
    });

    it("refuses bad plain args at construction with exact messages", () => {
        assert.throws(
            () =>
                new mod.ExistingClusterEncryption("x", {
                    clusterId: "c 1",
                    keyId: "key-1",
                    regionId: "cn-hangzhou",
                }),
            {
                message:
                    '[clusterId] "c 1" is not an ACK cluster id: give one such as c0123456789abcdef0123456789abcdef.',
            },
        );
        assert.throws(
            () =>
                new mod.ExistingClusterEncryption("x", {
                    clusterId: "c1",
                    keyId: "acs:kms:cn-beijing:123:key/key-1",
                    regionId: "cn-hangzhou",
                }),
            {
                message:
                    '[keyId] "acs:kms:cn-beijing:123:key/key-1" is a key in cn-beijing, but [regionId] is "cn-hangzhou": the key and the cluster must be in the same region.',
            },
        );
        assert.throws(
            () =>
                new mod.ExistingClusterEncryption("x", {
                    clusterId: "c1",
                    keyId: "key-1",
                    regionId: "Hangzhou",
                }),
            { message: '[regionId] "Hangzhou" is not a region id: give one such as cn-hangzhou.' },
        );
        assert.throws(
            () =>
                new mod.ExistingClusterEncryption("x", {
                    clusterId: "c1",
                    keyId: "key-1",
                    regionId: "cn-hangzhou",
                    csEndpoint: "ftp://cs",
                }),
            {
                message:
                    '[csEndpoint] "ftp://cs" is not a host name or an https URL without a path: it uses ftp (only https, and http to this machine, are allowed); give e.g. cs.cn-hangzhou.aliyuncs.com.',
            },
        );
        assert.throws(
            () =>
                new mod.ExistingClusterEncryption("x", {
                    clusterId: "c1",
                    keyId: "key-1",
                    regionId: "cn-hangzhou",
                    conflictRetryMinutes: 500,
                }),
            { message: "[conflictRetryMinutes] 500 is out of range: use a number from 0 to 120." },
        );
    });

    it("fails the deployment when an Output resolves to a bad value", async () => {
        const enc = new mod.ExistingClusterEncryption("x", {
            clusterId: pulumi.output("bad id"),
            keyId: "key-1",
            regionId: "cn-hangzhou",
        });
        await assert.rejects(valueOf(enc.encryption.clusterId), {
            message: /\[clusterId\] "bad id" is not an ACK cluster id/,
        });
    });
});
