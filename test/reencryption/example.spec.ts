// examples/rotation under the SDK's mocks, as `pulumi up` would run it.
import { strict as assert } from "assert";
import * as path from "path";
import { setupMocks, valueOf } from "../support/mocks";

const entry = path.resolve(__dirname, "../../examples/rotation/index.ts");

async function runExample(primaryKeyVersion: string, mode?: string) {
    const run = await setupMocks({
        project: "ack-kms-rotation",
        stack: "dev",
        config: {
            "alicloud:region": "cn-hangzhou",
            "ack-kms-rotation:clusterId": "c0123456789abcdef",
            "ack-kms-rotation:keyId": "key-1",
            ...(mode ? { "ack-kms-rotation:mode": mode } : {}),
        },
        outputs: ({ type }) =>
            type === "alicloud:kms/key:Key" ? { primaryKeyVersion } : undefined,
    });
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(entry) as Record<string, any>;
    await run.settle();
    return { run, exports };
}

describe("examples/rotation", () => {
    it("names the Job from the key's primary key version and runs it with the cluster's kubeconfig", async () => {
        const { run, exports } = await runExample("key-version-1");
        const job = run.get("kubernetes:batch/v1:Job", "reencrypt-secrets-job");
        assert.match(job.inputs.metadata.name, /^reencrypt-secrets-key-version-1-[0-9a-f]{8}$/);
        assert.equal(await valueOf(exports.reencryptionJob), job.inputs.metadata.name);
        assert.ok(
            run.invokes.some(
                (i) =>
                    i.token === "alicloud:cs/getClusterCredential:getClusterCredential" &&
                    i.inputs.clusterId === "c0123456789abcdef",
            ),
        );
        const provider = run.get("pulumi:providers:kubernetes", "cluster");
        // The kubeconfig reaches the provider as a secret.
        assert.equal(
            provider.inputs.kubeconfig["4dabf18193072939515e22adb298388d"],
            "1b47061264138c4ac30d75fd1eb44270",
        );
        assert.match(provider.inputs.kubeconfig.value, /kind: Config/);
        assert.match(job.provider ?? "", /pulumi:providers:kubernetes::cluster::/);
    });

    it("gives a new version a new Job name", async () => {
        const first = (await runExample("v1")).run.get(
            "kubernetes:batch/v1:Job",
            "reencrypt-secrets-job",
        );
        const second = (await runExample("v2")).run.get(
            "kubernetes:batch/v1:Job",
            "reencrypt-secrets-job",
        );
        assert.notEqual(first.inputs.metadata.name, second.inputs.metadata.name);
    });

    it("switches to kubectl replace with mode replace", async () => {
        const { run } = await runExample("v1", "replace");
        const job = run.get("kubernetes:batch/v1:Job", "reencrypt-secrets-job");
        assert.match(
            job.inputs.spec.template.spec.containers[0].command[2],
            /kubectl get secrets -A -o json \| kubectl replace -f -$/,
        );
    });
});
