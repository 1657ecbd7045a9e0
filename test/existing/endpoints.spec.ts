// Endpoint overrides decide where signed requests (with the STS token) go: only https hosts, or
// http to this machine for the emulators; nothing that makes a URL reach another host.
import { strict as assert } from "assert";
import { parseEndpoint, parseKmsEndpoint } from "../../cloud/endpoints";
import { validateExistingClusterEncryptionInputs } from "../../components/existingClusterEncryption/inputs";

const csHint = "give e.g. cs.cn-hangzhou.aliyuncs.com.";
const kmsHint =
    "give a host such as kms-vpc.cn-hangzhou.aliyuncs.com or a URL such as https://kms.cn-hangzhou.aliyuncs.com.";

describe("cloud/endpoints", () => {
    it("refuses a URL with a user name, which would send signed calls to the host after @", () => {
        assert.throws(() => parseKmsEndpoint("https://kms.cn-hangzhou.aliyuncs.com@evil.example"), {
            message: `[endpoint] "https://kms.cn-hangzhou.aliyuncs.com@evil.example" is not a KMS endpoint: it has a user name or password (text before @), which sends the signed requests to another host; ${kmsHint}`,
        });
    });

    it("refuses a URL with a user name and password", () => {
        assert.throws(() => parseEndpoint("https://user:pass@cs.cn-hangzhou.aliyuncs.com"), {
            message: `[endpoint] "https://user:pass@cs.cn-hangzhou.aliyuncs.com" is not a host name or an https URL without a path: it has a user name or password (text before @), which sends the signed requests to another host; ${csHint}`,
        });
    });

    it("refuses whitespace anywhere, including around the host", () => {
        for (const endpoint of [
            " cs.cn-hangzhou.aliyuncs.com",
            "cs.cn-hangzhou.aliyuncs.com\n",
            "https://cs .x",
        ]) {
            assert.throws(() => parseEndpoint(endpoint), {
                message: `[endpoint] ${JSON.stringify(endpoint)} is not a host name or an https URL without a path: it has whitespace or control characters or is empty; ${csHint}`,
            });
        }
    });

    it("refuses a path, a query or a fragment", () => {
        for (const endpoint of [
            "https://cs.cn-hangzhou.aliyuncs.com/v2",
            "https://cs.cn-hangzhou.aliyuncs.com/?next=evil.example",
            "https://cs.cn-hangzhou.aliyuncs.com#x",
            "https://cs.cn-hangzhou.aliyuncs.com/..",
        ]) {
            assert.throws(() => parseEndpoint(endpoint), {
                message: `[endpoint] ${JSON.stringify(endpoint)} is not a host name or an https URL without a path: it has a path, query or fragment; ${csHint}`,
            });
        }
    });

    it("refuses plain http to any host but this machine", () => {
        assert.throws(() => parseKmsEndpoint("http://kms.cn-hangzhou.aliyuncs.com"), {
            message: `[endpoint] "http://kms.cn-hangzhou.aliyuncs.com" is not a KMS endpoint: it uses http to a host other than this machine (http is for local emulators only); ${kmsHint}`,
        });
    });

    it("accepts http to this machine, for the emulators", () => {
        assert.deepEqual(parseEndpoint("http://127.0.0.1:8080"), {
            protocol: "http",
            host: "127.0.0.1:8080",
        });
        assert.deepEqual(parseEndpoint("http://localhost:8080/"), {
            protocol: "http",
            host: "localhost:8080",
        });
        assert.deepEqual(parseEndpoint("http://[::1]:8080"), {
            protocol: "http",
            host: "[::1]:8080",
        });
    });

    it("accepts a bare host as https and an https URL, reporting the host the requests go to", () => {
        assert.deepEqual(parseKmsEndpoint("kms-vpc.cn-hangzhou.aliyuncs.com:443"), {
            protocol: "https",
            host: "kms-vpc.cn-hangzhou.aliyuncs.com",
        });
        assert.deepEqual(parseKmsEndpoint("HTTPS://KMS.cn-hangzhou.aliyuncs.com/"), {
            protocol: "https",
            host: "kms.cn-hangzhou.aliyuncs.com",
        });
    });

    it("cuts a very long endpoint short in its message", () => {
        const endpoint = `${"a".repeat(100_000)}.example`;
        assert.throws(() => parseEndpoint(endpoint), {
            message: `[endpoint] "${"a".repeat(60)}"... (100008 characters) is not a host name or an https URL without a path: it is 100008 characters long (a host name has at most 253); ${csHint}`,
        });
    });

    it("names the endpoint argument of the component in its message", () => {
        assert.deepEqual(
            validateExistingClusterEncryptionInputs({
                clusterId: "c1",
                keyId: "key-1",
                regionId: "cn-hangzhou",
                kmsEndpoint: "https://kms.cn-hangzhou.aliyuncs.com@evil.example",
            }),
            [
                `[kmsEndpoint] "https://kms.cn-hangzhou.aliyuncs.com@evil.example" is not a KMS endpoint: it has a user name or password (text before @), which sends the signed requests to another host; ${kmsHint}`,
            ],
        );
    });
});
