import { strict as assert } from "assert";
import {
    createCsClient,
    describeCluster,
    encryptionFromMetaData,
    updateKmsEncryption,
} from "../../cloud/cs";
import { parseEndpoint } from "../../cloud/endpoints";
import { CloudApiError } from "../../cloud/errors";
import { listClusters } from "../../cloud/csClusters";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";

const credentials = { accessKeyId: "test-ak", accessKeySecret: "test-secret" };

describe("cloud/cs through @alicloud/cs20151215 against the CS emulator", () => {
    let cs: CsEmulator;
    beforeEach(async () => {
        cs = await startCsEmulator({ credentials: [credentials], updateDurationMs: 50 });
    });
    afterEach(() => cs.close());

    const client = () => createCsClient({ regionId: "cn-hangzhou", endpoint: cs.url, credentials });

    it("reads state, spec and the encryption key from DescribeClusterDetail", async () => {
        cs.addCluster({ clusterId: "c1", encryptionKeyId: "key-1", encryptionDisabled: false });
        const detail = await describeCluster(client(), "c1");
        assert.deepEqual(
            {
                state: detail.state,
                spec: detail.clusterSpec,
                key: detail.encryptionKeyId,
                on: detail.encryptionEnabled,
                region: detail.regionId,
            },
            {
                state: "running",
                spec: "ack.pro.small",
                key: "key-1",
                on: true,
                region: "cn-hangzhou",
            },
        );
        assert.equal(cs.rejectedSignatures(), 0);
    });

    it("sends kms_key_id and disable_encryption in the PUT body, signed with ACS3", async () => {
        cs.addCluster({ clusterId: "c1" });
        await updateKmsEncryption(client(), "c1", { keyId: "key-2" });
        const put = cs.calls.find((c) => c.action === "UpdateKMSEncryption");
        assert.deepEqual(put?.body, { disable_encryption: false, kms_key_id: "key-2" });
        assert.equal((await describeCluster(client(), "c1")).state, "updating");
        assert.equal(cs.rejectedSignatures(), 0);
    });

    it("turns a 409 into a CloudApiError carrying the HTTP status", async () => {
        cs.addCluster({ clusterId: "c1" });
        cs.markChangeFinished("c1", Date.now());
        await assert.rejects(
            updateKmsEncryption(client(), "c1", { keyId: "key-2" }),
            (error: unknown) =>
                error instanceof CloudApiError &&
                error.statusCode === 409 &&
                error.code === "ErrClusterStateConflict",
        );
    });

    it("refuses a request signed with the wrong secret", async () => {
        cs.addCluster({ clusterId: "c1" });
        const wrong = createCsClient({
            regionId: "cn-hangzhou",
            endpoint: cs.url,
            credentials: { accessKeyId: "test-ak", accessKeySecret: "not-the-secret" },
        });
        await assert.rejects(describeCluster(wrong, "c1"), {
            message: /^CS DescribeClusterDetail failed: SignatureDoesNotMatch: /,
        });
        assert.equal(cs.rejectedSignatures(), 1);
    });

    it("reports a missing cluster with its code", async () => {
        await assert.rejects(describeCluster(client(), "nope"), {
            message:
                /^CS DescribeClusterDetail failed: ErrorClusterNotFound: The cluster nope is not found\. \(RequestId: /,
        });
    });

    it("reads encryption as off when meta_data has no key or says DisableEncryption", () => {
        assert.deepEqual(encryptionFromMetaData(undefined), { enabled: false });
        assert.deepEqual(encryptionFromMetaData("not json"), { enabled: false });
        assert.deepEqual(
            encryptionFromMetaData(
                JSON.stringify({
                    Capabilities: { EncryptionKMSKeyId: "k", DisableEncryption: true },
                }),
            ),
            { keyId: "k", enabled: false },
        );
    });

    it("accepts hosts and http(s) URLs as endpoints and names the argument otherwise", () => {
        assert.deepEqual(parseEndpoint("cs.cn-hangzhou.aliyuncs.com"), {
            host: "cs.cn-hangzhou.aliyuncs.com",
            protocol: "https",
        });
        assert.deepEqual(parseEndpoint("http://127.0.0.1:8080"), {
            host: "127.0.0.1:8080",
            protocol: "http",
        });
        assert.throws(() => parseEndpoint("ftp://x/y"), {
            message:
                '[endpoint] "ftp://x/y" is not a host name or an https URL without a path: it uses ftp (only https, and http to this machine, are allowed); give e.g. cs.cn-hangzhou.aliyuncs.com.',
        });
    });

    it("fails a cluster listing whose pages end before the total count it gives", async () => {
        const short = await startCsEmulator({ credentials: [credentials], pageItemLimit: 1 });
        try {
            short.addCluster({
                clusterId: "c1",
                encryptionKeyId: "key-1",
                encryptionDisabled: false,
            });
            short.addCluster({
                clusterId: "c2",
                encryptionKeyId: "key-1",
                encryptionDisabled: false,
            });
            const shortClient = createCsClient({
                regionId: "cn-hangzhou",
                endpoint: short.url,
                credentials,
            });
            await assert.rejects(
                listClusters(shortClient, "cn-hangzhou", { pageSize: 2 }),
                /IncompleteListing: the cluster listing of cn-hangzhou ended at 1 of the 2 clusters it counts/,
            );
        } finally {
            await short.close();
        }
    });
});
