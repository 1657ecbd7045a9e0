// Read-only checks against the real cloud, run only when credentials and a test cluster are given.
import { strict as assert } from "assert";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import { createCsClient, describeCluster } from "../../cloud/cs";
import { runVerifyChecks } from "../../cloud/verify/run";

const clusterId = process.env.ACK_KMS_TEST_CLUSTER_ID;
const regionId = process.env.ACK_KMS_TEST_REGION;
const hasCredentials = Boolean(
    (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID && process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET) ||
    (process.env.ALICLOUD_ACCESS_KEY && process.env.ALICLOUD_SECRET_KEY),
);
const skipReason = !hasCredentials
    ? "no Alibaba Cloud credentials in the environment"
    : !clusterId || !regionId
      ? "ACK_KMS_TEST_CLUSTER_ID and ACK_KMS_TEST_REGION are not set"
      : undefined;

(skipReason ? describe.skip : describe)(
    `verify against the real cloud${skipReason ? ` (skipped: ${skipReason})` : ""}`,
    () => {
        it("reads the test cluster through the CS SDK", async () => {
            const cs = createCsClient({
                regionId: regionId!,
                credentials: credentialsFromEnvironment(),
            });
            const cluster = await describeCluster(cs, clusterId!);
            assert.equal(cluster.clusterId, clusterId);
            assert.equal(cluster.regionId, regionId);
        });

        it("runs every verify check and reports each one", async () => {
            const report = await runVerifyChecks({
                clusterId: clusterId!,
                regionId: regionId!,
                since: new Date(Date.now() - 24 * 3_600_000),
                credentials: credentialsFromEnvironment(),
            });
            assert.equal(report.checks.length, 6);
        });
    },
);
