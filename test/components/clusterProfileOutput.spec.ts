// A managed cluster's profile given as an Output is judged once known, as clusterSpec is: one
// resolving to anything but "Default" fails the deployment instead of passing silently.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { rejectionMessage, setupMocks, valueOf } from "../support/mocks";
import { EncryptedCluster } from "../../components/encryptedCluster";

const managed = "alicloud:cs/managedKubernetes:ManagedKubernetes";
const managedArgs = {
    name: "prod",
    vswitchIds: ["vsw-a", "vsw-b"],
    podCidr: "172.20.0.0/16",
    serviceCidr: "172.21.0.0/20",
};

describe("EncryptedCluster with an Output profile", () => {
    it("fails the deployment when it resolves to Edge", async () => {
        const run = await setupMocks();
        const cluster = new EncryptedCluster("c", {
            cluster: { ...managedArgs, profile: pulumi.output("Edge") },
            key: {},
        });
        assert.strictEqual(
            await rejectionMessage(valueOf(cluster.clusterId)),
            '[cluster.profile] "Edge" is not allowed: Secret encryption needs an ACK Pro managed cluster (profile "Default"); use serverless for ACK Serverless Pro.',
        );
        await run.settle();
        assert.strictEqual(run.ofType(managed).length, 0);
    });

    it("creates the cluster when it resolves to Default or undefined", async () => {
        const run = await setupMocks();
        new EncryptedCluster("d", {
            cluster: { ...managedArgs, profile: pulumi.output("Default") },
            key: {},
        });
        new EncryptedCluster("u", {
            cluster: { ...managedArgs, profile: pulumi.output(undefined as unknown as string) },
            key: {},
        });
        await run.settle();
        assert.strictEqual(run.get(managed, "d").inputs.profile, "Default");
        assert.strictEqual(run.ofType(managed).length, 2);
    });

    it("still refuses a plain profile that is not Default before registering anything", async () => {
        const run = await setupMocks();
        assert.throws(
            () =>
                new EncryptedCluster("p", {
                    cluster: { ...managedArgs, profile: "Edge" },
                    key: {},
                }),
            { message: /^\[cluster\.profile\] "Edge" is not allowed/ },
        );
        await run.settle();
        assert.strictEqual(run.ofType(managed).length, 0);
    });
});
