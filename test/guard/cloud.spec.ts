// cloud/ building blocks in isolation: error normalisation, credentials, retry and key checks.

import * as assert from "assert";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import { CloudApiError, toCloudApiError, withoutQueryStrings } from "../../cloud/errors";
import { assertKeyFitForSecrets, keyProblemsForSecrets } from "../../cloud/keyChecks";
import {
    createKmsClient,
    defaultKmsEndpoint,
    describeKey,
    KeyMetadata,
    parseKeyArn,
    parseKmsEndpoint,
} from "../../cloud/kms";
import { backoffDelayMs, isTransientCloudError, withRetry } from "../../cloud/retry";
import { KmsEmulator } from "../support/kmsEmulator";

function apiError(code: string, statusCode?: number): CloudApiError {
    return new CloudApiError({
        service: "KMS",
        action: "DescribeKey",
        code,
        message: "m",
        statusCode,
    });
}

describe("cloud/errors", () => {
    it("formats the service, action, code, message and RequestId", () => {
        const error = new CloudApiError({
            service: "KMS",
            action: "DescribeKey",
            code: "Forbidden.KeyNotFound",
            message: "The specified Key is not found.",
            requestId: "REQ-1",
        });
        assert.strictEqual(
            error.message,
            "KMS DescribeKey failed: Forbidden.KeyNotFound: The specified Key is not found. (RequestId: REQ-1)",
        );
    });

    it("reads the API's code, message, RequestId and status from the Tea SDK's ResponseError", () => {
        const sdkError = Object.assign(new Error("ignored"), {
            code: "Forbidden.KeyNotFoundError",
            message:
                "Forbidden.KeyNotFoundError: code: 404, The specified Key is not found. requestid: REQ-2",
            data: {
                Code: "Forbidden.KeyNotFound",
                Message: "The specified Key is not found.",
                RequestId: "REQ-2",
                HostId: "kms.cn-hangzhou.aliyuncs.com",
            },
        });
        const error = toCloudApiError("KMS", "DescribeKey", sdkError);
        assert.deepStrictEqual(
            {
                code: error.code,
                statusCode: error.statusCode,
                requestId: error.requestId,
                hostId: error.hostId,
                message: error.message,
            },
            {
                code: "Forbidden.KeyNotFound",
                statusCode: 404,
                requestId: "REQ-2",
                hostId: "kms.cn-hangzhou.aliyuncs.com",
                message:
                    "KMS DescribeKey failed: Forbidden.KeyNotFound: The specified Key is not found. (RequestId: REQ-2)",
            },
        );
    });

    it("names timeouts and dropped connections", () => {
        const timeout = Object.assign(new Error("ReadTimeout(300). POST http://h/?a=1 failed."), {
            name: "RequestTimeoutError",
        });
        const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        assert.strictEqual(toCloudApiError("KMS", "Encrypt", timeout).code, "RequestTimeout");
        assert.strictEqual(toCloudApiError("KMS", "Encrypt", reset).code, "ConnectionDropped");
        assert.strictEqual(
            toCloudApiError("KMS", "Encrypt", new SyntaxError("Unexpected token '<'")).code,
            "UnreadableResponse",
        );
    });

    it("strips query strings, which carry the AccessKeyId, signature and token, from messages", () => {
        assert.strictEqual(
            withoutQueryStrings(
                "connect ECONNREFUSED 127.0.0.1:9POST http://127.0.0.1:9/?AccessKeyId=LTAI&SecurityToken=tok failed.",
            ),
            "connect ECONNREFUSED 127.0.0.1:9: POST http://127.0.0.1:9/ failed.",
        );
    });
});

describe("cloud/credentials", () => {
    it("reads the ALIBABA_CLOUD_* variables first, with the STS token", () => {
        assert.deepStrictEqual(
            credentialsFromEnvironment({
                ALIBABA_CLOUD_ACCESS_KEY_ID: "id1",
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: "s1",
                ALIBABA_CLOUD_SECURITY_TOKEN: "t1",
                ALICLOUD_ACCESS_KEY: "id2",
                ALICLOUD_SECRET_KEY: "s2",
            }),
            { accessKeyId: "id1", accessKeySecret: "s1", securityToken: "t1" },
        );
    });

    it("falls back to the provider's ALICLOUD_* variables", () => {
        assert.deepStrictEqual(
            credentialsFromEnvironment({
                ALICLOUD_ACCESS_KEY: "id2",
                ALICLOUD_SECRET_KEY: "s2",
                ALICLOUD_SECURITY_TOKEN: "t2",
            }),
            { accessKeyId: "id2", accessKeySecret: "s2", securityToken: "t2" },
        );
    });

    it("names the missing half of a pair", () => {
        assert.throws(() => credentialsFromEnvironment({ ALICLOUD_ACCESS_KEY: "id2" }), {
            name: "MissingCredentialsError",
            message:
                "ALICLOUD_ACCESS_KEY is set but ALICLOUD_SECRET_KEY is not: set both (and ALICLOUD_SECURITY_TOKEN for STS credentials).",
        });
    });

    it("names every variable when none is set, treating blank values as unset", () => {
        assert.throws(() => credentialsFromEnvironment({ ALIBABA_CLOUD_ACCESS_KEY_ID: " " }), {
            message:
                "No Alibaba Cloud credentials in the environment: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), plus ALIBABA_CLOUD_SECURITY_TOKEN (or ALICLOUD_SECURITY_TOKEN) for STS credentials.",
        });
    });
});

describe("cloud/retry", () => {
    const noSleep = async () => undefined;

    it("treats throttling, 5xx, internal failures, timeouts and dropped connections as transient", () => {
        for (const code of [
            "Rejected.Throttling",
            "Throttling.User",
            "InternalFailure",
            "ServiceUnavailableTemporary",
            "RequestTimeout",
            "ConnectionDropped",
            "UnreadableResponse",
        ]) {
            assert.ok(isTransientCloudError(apiError(code)), code);
        }
        assert.ok(isTransientCloudError(apiError("SomethingNew", 502)));
    });

    it("treats refusals and non-API errors as final", () => {
        for (const code of ["Forbidden.KeyNotFound", "SignatureDoesNotMatch", "InvalidParameter"]) {
            assert.ok(!isTransientCloudError(apiError(code, 400)), code);
        }
        assert.ok(!isTransientCloudError(new Error("boom")));
    });

    it("draws each wait uniformly below a ceiling that doubles up to maxDelayMs", () => {
        assert.deepStrictEqual(
            [1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, 100, 1000, () => 0.999)),
            [99, 199, 399, 799, 999, 999],
        );
        assert.strictEqual(
            backoffDelayMs(3, 100, 1000, () => 0),
            0,
        );
    });

    it("retries transient errors, reporting each wait, and returns the result", async () => {
        const waits: Array<[number, number]> = [];
        let calls = 0;
        const result = await withRetry(
            async (attempt) => {
                calls++;
                if (attempt < 3) {
                    throw apiError("Rejected.Throttling");
                }
                return "done";
            },
            {
                baseDelayMs: 10,
                random: () => 0.5,
                sleep: noSleep,
                onRetry: (_error, attempt, delayMs) => waits.push([attempt, delayMs]),
            },
        );
        assert.strictEqual(result, "done");
        assert.strictEqual(calls, 3);
        assert.deepStrictEqual(waits, [
            [1, 5],
            [2, 10],
        ]);
    });

    it("fails at once on an error that is not transient", async () => {
        let calls = 0;
        const error = apiError("Forbidden.NoPermission", 403);
        await assert.rejects(
            withRetry(
                async () => {
                    calls++;
                    throw error;
                },
                { sleep: noSleep },
            ),
            (thrown) => thrown === error,
        );
        assert.strictEqual(calls, 1);
    });

    it("stops after maxAttempts and throws the last error", async () => {
        let calls = 0;
        await assert.rejects(
            withRetry(
                async (attempt) => {
                    calls++;
                    throw apiError(`InternalFailure`, 500 + attempt);
                },
                { maxAttempts: 3, sleep: noSleep },
            ),
            { statusCode: 503 },
        );
        assert.strictEqual(calls, 3);
    });

    it("stops before a wait that would pass maxElapsedMs", async () => {
        let calls = 0;
        await assert.rejects(
            withRetry(
                async () => {
                    calls++;
                    throw apiError("InternalFailure");
                },
                {
                    maxAttempts: 10,
                    baseDelayMs: 1000,
                    maxElapsedMs: 1500,
                    random: () => 0.99,
                    sleep: noSleep,
                },
            ),
            { code: "InternalFailure" },
        );
        // Waits of 990 ms then 1980 ms: the second would end past 1500 ms.
        assert.strictEqual(calls, 2);
    });
});

describe("cloud/keyChecks", () => {
    const fit: KeyMetadata = {
        keyId: "key-1",
        arn: "acs:kms:cn-hangzhou:1:key/key-1",
        keyState: "Enabled",
        keySpec: "Aliyun_AES_256",
        keyUsage: "ENCRYPT/DECRYPT",
        protectionLevel: "SOFTWARE",
        deletionProtection: "Disabled",
    };

    it("finds no problem with an enabled AES-256 ENCRYPT/DECRYPT key", () => {
        assert.deepStrictEqual(keyProblemsForSecrets(fit), []);
        assert.doesNotThrow(() => assertKeyFitForSecrets(fit, "key-1"));
    });

    it("describes a key pending deletion without a date when KMS gives none", () => {
        assert.deepStrictEqual(keyProblemsForSecrets({ ...fit, keyState: "PendingDeletion" }), [
            "it is scheduled for deletion (PendingDeletion): cancel the deletion (CancelKeyDeletion) first",
        ]);
    });

    it("throws one message listing every problem, after the caller's context", () => {
        assert.throws(
            () =>
                assertKeyFitForSecrets(
                    { ...fit, keyState: "Disabled", keySpec: "Aliyun_AES_128" },
                    '[keyId] "key-1"',
                ),
            {
                name: "KeyNotFitError",
                message:
                    '[keyId] "key-1" cannot encrypt Kubernetes Secrets: its state is "Disabled": it must be "Enabled"; its key spec is "Aliyun_AES_128": ACK accepts only "Aliyun_AES_256".',
            },
        );
    });
});

describe("cloud/kms endpoints and ARNs", () => {
    it("defaults to the regional public endpoint over HTTPS", () => {
        assert.strictEqual(defaultKmsEndpoint("ap-southeast-1"), "kms.ap-southeast-1.aliyuncs.com");
        assert.deepStrictEqual(parseKmsEndpoint("kms-vpc.cn-hangzhou.aliyuncs.com"), {
            protocol: "https",
            host: "kms-vpc.cn-hangzhou.aliyuncs.com",
        });
    });

    it("takes the protocol and port from a URL", () => {
        assert.deepStrictEqual(parseKmsEndpoint("http://127.0.0.1:8080/"), {
            protocol: "http",
            host: "127.0.0.1:8080",
        });
    });

    it("refuses an endpoint with a path, naming the argument", () => {
        assert.throws(() => parseKmsEndpoint("https://kms.cn-hangzhou.aliyuncs.com/v2"), {
            message:
                '[endpoint] "https://kms.cn-hangzhou.aliyuncs.com/v2" is not a KMS endpoint: it has a path, query or fragment; give a host such as kms-vpc.cn-hangzhou.aliyuncs.com or a URL such as https://kms.cn-hangzhou.aliyuncs.com.',
        });
    });

    it("splits a key ARN and ignores other strings", () => {
        assert.deepStrictEqual(parseKeyArn("acs:kms:cn-hangzhou:123:key/key-hzz1"), {
            regionId: "cn-hangzhou",
            accountId: "123",
            keyId: "key-hzz1",
        });
        assert.strictEqual(parseKeyArn("key-hzz1"), undefined);
    });
});

describe("cloud/kms describeKey", () => {
    const accessKey = { accessKeyId: "AKID-describe", accessKeySecret: "describe-secret" };
    let emulator: KmsEmulator;
    beforeEach(async () => {
        emulator = await new KmsEmulator({ accessKeys: [accessKey] }).start();
    });
    afterEach(() => emulator.stop());

    for (const field of ["KeySpec", "ProtectionLevel"]) {
        it(`fails on an answer without ${field} instead of assuming the provider's default`, async () => {
            const keyId = emulator.seedKey();
            emulator.omittedMetadata.add(field);
            const client = createKmsClient({
                regionId: emulator.regionId,
                endpoint: emulator.endpoint,
                credentials: accessKey,
            });
            await assert.rejects(
                describeKey(client, keyId),
                new RegExp(`KeyMetadata has no ${field}`),
            );
        });
    }
});
