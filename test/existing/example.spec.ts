// examples/existing-cluster under the SDK's mocks, as `pulumi up` would run it.
import { strict as assert } from "assert";
import * as path from "path";
import { setupMocks } from "../support/mocks";

const dynamicType = "pulumi-nodejs:dynamic:Resource";
const entry = path.resolve(__dirname, "../../examples/existing-cluster/index.ts");

async function runExample(config: Record<string, string>) {
    const run = await setupMocks({
        project: "ack-kms-existing-cluster",
        stack: "dev",
        config: { "alicloud:region": "cn-hangzhou", ...config },
        // What the dynamic providers would return.
        outputs: ({ type, inputs }) =>
            type === dynamicType
                ? { kmsKeyId: inputs.keyId, keyArn: `acs:kms:cn-hangzhou:1:key/${inputs.keyId}` }
                : undefined,
    });
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(entry);
    await run.settle();
    return run;
}

describe("examples/existing-cluster", () => {
    it("creates a key, turns encryption on for the configured cluster, then guards the key", async () => {
        const run = await runExample({ "ack-kms-existing-cluster:clusterId": "c0123456789abcdef" });
        const [encryption, guard] = run.ofType(dynamicType);
        assert.equal(encryption.inputs.kind, "ack-kms:ExistingClusterEncryption");
        assert.equal(encryption.inputs.clusterId, "c0123456789abcdef");
        assert.equal(encryption.inputs.keyId, "secrets-key-id");
        assert.equal(encryption.inputs.regionId, "cn-hangzhou");
        assert.equal(guard.inputs.kind, "ack-kms:KeyDeletionGuard");
        // dependsOn a component reaches the engine as a dependency on its resources.
        const guardComponent = run.get("ack-kms:index:KeyDeletionGuard", "key-guard");
        assert.ok(
            guardComponent.dependencies.includes(encryption.urn),
            guardComponent.dependencies.join(", "),
        );
        assert.equal(run.ofType("alicloud:kms/key:Key").length, 1);
    });

    it("uses the configured key instead of creating one", async () => {
        const run = await runExample({
            "ack-kms-existing-cluster:clusterId": "c0123456789abcdef",
            "ack-kms-existing-cluster:keyId": "key-existing",
        });
        assert.equal(run.ofType("alicloud:kms/key:Key").length, 0);
        assert.equal(run.ofType(dynamicType)[0].inputs.keyId, "key-existing");
    });

    it("fails naming clusterId when it is not configured", async () => {
        await assert.rejects(
            runExample({}),
            /Missing required configuration variable 'ack-kms-existing-cluster:clusterId'/,
        );
    });
});
