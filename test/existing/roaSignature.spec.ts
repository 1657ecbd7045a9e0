// The emulators' ACS3 signature check, fed with requests the real SDK signed: captured once,
// then replayed as they were, and tampered with.
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { createServer, IncomingHttpHeaders, request } from "http";
import { AddressInfo } from "net";
import { createCsClient, describeCluster, updateKmsEncryption } from "../../cloud/cs";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";

interface Captured {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
}

const credentials = { accessKeyId: "LTAIsig", accessKeySecret: "sig-secret" };

/** Lets the SDK sign a call against a local server that records it and answers 200 {}. */
async function captureSdkRequest(call: (endpoint: string) => Promise<unknown>): Promise<Captured> {
    let captured: Captured | undefined;
    const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            captured = {
                method: req.method!,
                url: req.url!,
                headers: req.headers,
                body: Buffer.concat(chunks).toString("utf8"),
            };
            res.writeHead(200, { "content-type": "application/json" });
            res.end("{}");
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
        await call(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
        server.closeAllConnections();
        server.close();
    }
    return captured!;
}

/** Sends a captured request to `url` with its original headers (Host included). */
function replay(url: string, captured: Captured, change: Partial<Captured> = {}) {
    const target = new URL(url);
    const sent = { ...captured, ...change };
    // The capture arrived chunked; the replay sends a length instead.
    const headers = { ...sent.headers };
    delete headers["transfer-encoding"];
    delete headers.connection;
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = request(
            {
                host: target.hostname,
                port: target.port,
                method: sent.method,
                path: sent.url,
                headers: { ...headers, "content-length": Buffer.byteLength(sent.body) },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
                });
            },
        );
        req.on("error", reject);
        req.end(sent.body);
    });
}

describe("ACS3-HMAC-SHA256 verification in the emulators", () => {
    let cs: CsEmulator;
    beforeEach(async () => {
        cs = await startCsEmulator({ credentials: [credentials] });
        cs.addCluster({ clusterId: "c1" });
    });
    afterEach(() => cs.close());

    const client = (endpoint: string) =>
        createCsClient({ regionId: "cn-hangzhou", endpoint, credentials });

    it("accepts the SDK's request once, then refuses its replay (nonce reuse)", async () => {
        const captured = await captureSdkRequest((e) => describeCluster(client(e), "c1"));
        assert.match(
            String(captured.headers.authorization),
            /^ACS3-HMAC-SHA256 Credential=LTAIsig,SignedHeaders=/,
        );
        assert.equal((await replay(cs.url, captured)).status, 200);
        const again = await replay(cs.url, captured);
        assert.deepEqual([again.status, again.body.Code], [400, "SignatureNonceUsed"]);
    });

    it("refuses a body that does not match its signed hash", async () => {
        const captured = await captureSdkRequest((e) =>
            updateKmsEncryption(client(e), "c1", { keyId: "key-1" }),
        );
        assert.equal(captured.body, '{"disable_encryption":false,"kms_key_id":"key-1"}');
        const tampered = '{"disable_encryption":true}';
        const answer = await replay(cs.url, captured, { body: tampered });
        assert.deepEqual([answer.status, answer.body.Code], [400, "InvalidContentSha256"]);

        // Rehashing the body does not help: the hash header is signed.
        const rehashed = await replay(cs.url, captured, {
            body: tampered,
            headers: {
                ...captured.headers,
                "x-acs-content-sha256": createHash("sha256").update(tampered).digest("hex"),
            },
        });
        assert.deepEqual([rehashed.status, rehashed.body.Code], [400, "SignatureDoesNotMatch"]);
        assert.equal(cs.clusters.get("c1")!.encryptionDisabled, true);
        // The untouched request still goes through: only the tampering was refused.
        assert.equal((await replay(cs.url, captured)).status, 202);
        assert.equal(cs.clusters.get("c1")!.encryptionKeyId, "key-1");
    });

    it("refuses a signature replayed on another path", async () => {
        cs.addCluster({ clusterId: "c2" });
        const captured = await captureSdkRequest((e) => describeCluster(client(e), "c1"));
        const answer = await replay(cs.url, captured, { url: "/clusters/c2" });
        assert.deepEqual([answer.status, answer.body.Code], [400, "SignatureDoesNotMatch"]);
    });

    it("requires the STS security token of temporary credentials", async () => {
        await cs.close();
        const sts = {
            accessKeyId: "STS.abc",
            accessKeySecret: "sts-secret",
            securityToken: "token-1",
        };
        cs = await startCsEmulator({ credentials: [sts] });
        cs.addCluster({ clusterId: "c1" });
        const detail = await describeCluster(
            createCsClient({ regionId: "cn-hangzhou", endpoint: cs.url, credentials: sts }),
            "c1",
        );
        assert.equal(detail.clusterId, "c1");
        const withoutToken = createCsClient({
            regionId: "cn-hangzhou",
            endpoint: cs.url,
            credentials: { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret },
        });
        await assert.rejects(describeCluster(withoutToken, "c1"), {
            message: /^CS DescribeClusterDetail failed: InvalidSecurityToken\.Mismatch: /,
        });
    });
});
