// The KMS emulator through the real @alicloud/kms20160120 client: request signatures, KMS's
// error shape, the key lifecycle actions, and the envelope encryption the ACK API server uses.

import * as assert from "assert";
import { createCipheriv, createDecipheriv, randomBytes } from "crypto";
import * as Kms from "@alicloud/kms20160120";
import { callKms, callKmsSdk, createKmsClient, describeKey, KmsClient } from "../../cloud/kms";
import { CloudApiError } from "../../cloud/errors";
import { KmsEmulator, startKmsEmulator } from "../support/kmsEmulator";
import { signRpcRequest, verifyRpcSignature } from "../support/signatures";
import { rejectionOf, testAccessKey } from "./harness";

const requestIdPattern = "[0-9A-F-]{36}";

describe("KMS emulator", () => {
    let emulator: KmsEmulator;
    let client: KmsClient;
    const stsKey = {
        accessKeyId: "STS.guardTest",
        accessKeySecret: "sts-secret",
        securityToken: "sts-token",
    };

    before(async () => {
        emulator = await startKmsEmulator({ accessKeys: [testAccessKey, stsKey] });
        client = createKmsClient({
            regionId: emulator.regionId,
            endpoint: emulator.endpoint,
            credentials: testAccessKey,
            retry: { maxAttempts: 1 },
        });
    });
    after(async () => {
        await emulator.stop();
    });
    beforeEach(() => {
        emulator.clearFaults();
        emulator.resetCalls();
    });

    function clientWith(credentials: {
        accessKeyId: string;
        accessKeySecret: string;
        securityToken?: string;
    }) {
        return createKmsClient({
            regionId: emulator.regionId,
            endpoint: emulator.endpoint,
            credentials,
            retry: { maxAttempts: 1 },
        });
    }

    describe("signatures", () => {
        it("matches the published example of the RPC signature algorithm", () => {
            // Same parameters, same secret: the signature depends only on the sorted, encoded pairs.
            const parameters = {
                Action: "DescribeKey",
                KeyId: "a b*c~",
                Timestamp: "2026-01-01T00:00:00Z",
            };
            const reordered = {
                Timestamp: parameters.Timestamp,
                KeyId: parameters.KeyId,
                Action: "DescribeKey",
            };
            const signature = signRpcRequest("POST", parameters, "secret");
            assert.strictEqual(signature, signRpcRequest("post", reordered, "secret"));
            assert.notStrictEqual(signature, signRpcRequest("POST", parameters, "secret2"));
            assert.deepStrictEqual(
                verifyRpcSignature(
                    "POST",
                    {
                        ...parameters,
                        SignatureMethod: "HMAC-SHA1",
                        SignatureVersion: "1.0",
                        Signature: "AAAA",
                    },
                    "secret",
                ),
                {
                    ok: false,
                    statusCode: 400,
                    code: "SignatureDoesNotMatch",
                    message: "Specified signature is not matched with our calculation.",
                },
            );
        });

        it("refuses a request signed with a wrong secret, in KMS's error shape", async () => {
            const error = (await rejectionOf(
                describeKey(
                    clientWith({ ...testAccessKey, accessKeySecret: "wrong" }),
                    emulator.seedKey(),
                ),
            )) as CloudApiError;
            assert.strictEqual(error.code, "SignatureDoesNotMatch");
            assert.strictEqual(error.statusCode, 400);
            assert.strictEqual(error.hostId, "kms.cn-hangzhou.aliyuncs.com");
            assert.match(error.requestId!, new RegExp(`^${requestIdPattern}$`));
        });

        it("refuses an unknown AccessKeyId", async () => {
            const error = await rejectionOf(
                describeKey(
                    clientWith({ accessKeyId: "LTAIunknown", accessKeySecret: "x" }),
                    "key-1",
                ),
            );
            assert.match(
                error.message,
                new RegExp(
                    `^KMS DescribeKey failed: InvalidAccessKeyId\\.NotFound: The Access Key ID provided does not exist in our records\\. \\(RequestId: ${requestIdPattern}\\)$`,
                ),
            );
        });

        it("needs the SecurityToken of STS credentials", async () => {
            const keyId = emulator.seedKey();
            await describeKey(clientWith(stsKey), keyId);
            const error = await rejectionOf(
                describeKey(clientWith({ ...stsKey, securityToken: "other" }), keyId),
            );
            assert.strictEqual((error as CloudApiError).code, "InvalidSecurityToken.Mismatch");
        });

        it("refuses a replayed request", async () => {
            const keyId = emulator.seedKey();
            await describeKey(client, keyId);
            const [first] = emulator.calls;
            const query = new URLSearchParams(first.parameters).toString();
            const response = await fetch(`${emulator.endpoint}/?${query}`, { method: "POST" });
            assert.strictEqual(response.status, 400);
            const body = (await response.json()) as Record<string, string>;
            assert.deepStrictEqual(
                { Code: body.Code, Message: body.Message, HostId: body.HostId },
                {
                    Code: "SignatureNonceUsed",
                    Message: "Specified signature nonce was used already.",
                    HostId: "kms.cn-hangzhou.aliyuncs.com",
                },
            );
            assert.match(body.RequestId, new RegExp(`^${requestIdPattern}$`));
        });
    });

    describe("key lifecycle", () => {
        it("creates, disables, enables and describes a key with the typed SDK calls", async () => {
            const created = await callKmsSdk(client, "CreateKey", (sdk) =>
                sdk.createKey(
                    new Kms.CreateKeyRequest({
                        description: "for secrets",
                        keySpec: "Aliyun_AES_256",
                    }),
                ),
            );
            const keyId = created.keyMetadata.keyId;
            assert.strictEqual(created.keyMetadata.keyState, "Enabled");

            await callKmsSdk(client, "DisableKey", (sdk) =>
                sdk.disableKey(new Kms.DisableKeyRequest({ keyId })),
            );
            assert.strictEqual((await describeKey(client, keyId)).keyState, "Disabled");
            await callKmsSdk(client, "EnableKey", (sdk) =>
                sdk.enableKey(new Kms.EnableKeyRequest({ keyId })),
            );

            const metadata = await describeKey(client, keyId);
            assert.deepStrictEqual(
                [
                    metadata.keyState,
                    metadata.description,
                    metadata.deletionProtection,
                    metadata.arn,
                ],
                ["Enabled", "for secrets", "Disabled", emulator.arnOf(keyId)],
            );
        });

        it("refuses ScheduleKeyDeletion on a protected key and schedules it once protection is off", async () => {
            const keyId = emulator.seedKey({ deletionProtection: "Enabled" });
            const schedule = () =>
                callKmsSdk(client, "ScheduleKeyDeletion", (sdk) =>
                    sdk.scheduleKeyDeletion(
                        new Kms.ScheduleKeyDeletionRequest({ keyId, pendingWindowInDays: 7 }),
                    ),
                );
            const error = (await rejectionOf(schedule())) as CloudApiError;
            assert.deepStrictEqual(
                [error.code, error.statusCode],
                ["Forbidden.ResourceProtected", 403],
            );

            await callKms(client, "SetDeletionProtection", {
                ProtectedResourceArn: emulator.arnOf(keyId),
                EnableDeletionProtection: "false",
            });
            await schedule();
            const pending = await describeKey(client, keyId);
            assert.strictEqual(pending.keyState, "PendingDeletion");
            assert.ok(pending.deleteDate);

            await callKmsSdk(client, "CancelKeyDeletion", (sdk) =>
                sdk.cancelKeyDeletion(new Kms.CancelKeyDeletionRequest({ keyId })),
            );
            assert.strictEqual((await describeKey(client, keyId)).keyState, "Enabled");
        });

        it("refuses a pending window outside 7 to 366 days", async () => {
            const keyId = emulator.seedKey();
            const error = (await rejectionOf(
                callKms(client, "ScheduleKeyDeletion", { KeyId: keyId, PendingWindowInDays: "6" }),
            )) as CloudApiError;
            assert.strictEqual(
                error.apiMessage,
                'The specified parameter "PendingWindowInDays" is not valid.',
            );
        });

        it("turns automatic rotation on within 7 to 365 days", async () => {
            const keyId = emulator.seedKey();
            await callKmsSdk(client, "UpdateRotationPolicy", (sdk) =>
                sdk.updateRotationPolicy(
                    new Kms.UpdateRotationPolicyRequest({
                        keyId,
                        enableAutomaticRotation: true,
                        rotationInterval: "30d",
                    }),
                ),
            );
            const metadata = await describeKey(client, keyId);
            assert.deepStrictEqual(
                [metadata.automaticRotation, metadata.rotationInterval],
                ["Enabled", "2592000s"],
            );
            const error = (await rejectionOf(
                callKms(client, "UpdateRotationPolicy", {
                    KeyId: keyId,
                    EnableAutomaticRotation: "true",
                    RotationInterval: "400d",
                }),
            )) as CloudApiError;
            assert.strictEqual(error.code, "InvalidParameter");
        });

        it("lists keys page by page", async () => {
            const fresh = await startKmsEmulator({ accessKeys: [testAccessKey] });
            try {
                const ids = [fresh.seedKey(), fresh.seedKey(), fresh.seedKey()];
                const freshClient = createKmsClient({
                    regionId: fresh.regionId,
                    endpoint: fresh.endpoint,
                    credentials: testAccessKey,
                });
                const page = await callKmsSdk(freshClient, "ListKeys", (sdk) =>
                    sdk.listKeys(new Kms.ListKeysRequest({ pageNumber: 2, pageSize: 2 })),
                );
                assert.strictEqual(page.totalCount, 3);
                assert.deepStrictEqual(
                    page.keys.key.map((key) => [key.keyId, key.keyArn]),
                    [[ids[2], fresh.arnOf(ids[2])]],
                );
            } finally {
                await fresh.stop();
            }
        });

        it("counts calls per action, faulted ones included", async () => {
            const keyId = emulator.seedKey();
            emulator.injectFault({ kind: "internalFailure", action: "DescribeKey" });
            await rejectionOf(describeKey(client, keyId));
            await describeKey(client, keyId);
            await callKms(client, "ListKeys", {});
            assert.deepStrictEqual(emulator.callCounts(), { DescribeKey: 2, ListKeys: 1 });
            assert.deepStrictEqual(
                emulator.calls.map((call) => [call.outcome, call.fault]),
                [
                    [500, "internalFailure"],
                    [200, undefined],
                    [200, undefined],
                ],
            );
        });
    });

    describe("cryptography", () => {
        it("encrypts and decrypts with the key version recorded in the blob", async () => {
            const keyId = emulator.seedKey();
            const first = await callKmsSdk(client, "Encrypt", (sdk) =>
                sdk.encrypt(new Kms.EncryptRequest({ keyId, plaintext: "hello" })),
            );
            const rotatedVersion = emulator.rotateKey(keyId);
            const second = await callKmsSdk(client, "Encrypt", (sdk) =>
                sdk.encrypt(new Kms.EncryptRequest({ keyId, plaintext: "hello" })),
            );
            assert.notStrictEqual(first.keyVersionId, rotatedVersion);
            assert.strictEqual(second.keyVersionId, rotatedVersion);

            for (const blob of [first, second]) {
                const decrypted = await callKmsSdk(client, "Decrypt", (sdk) =>
                    sdk.decrypt(new Kms.DecryptRequest({ ciphertextBlob: blob.ciphertextBlob })),
                );
                assert.deepStrictEqual(
                    [decrypted.plaintext, decrypted.keyId, decrypted.keyVersionId],
                    ["hello", keyId, blob.keyVersionId],
                );
            }
        });

        it("binds the encryption context and refuses a tampered blob", async () => {
            const keyId = emulator.seedKey();
            const sealed = await callKmsSdk(client, "Encrypt", (sdk) =>
                sdk.encrypt(
                    new Kms.EncryptRequest({
                        keyId,
                        plaintext: "x",
                        encryptionContext: { cluster: "prod" },
                    }),
                ),
            );
            const withContext = await callKmsSdk(client, "Decrypt", (sdk) =>
                sdk.decrypt(
                    new Kms.DecryptRequest({
                        ciphertextBlob: sealed.ciphertextBlob,
                        encryptionContext: { cluster: "prod" },
                    }),
                ),
            );
            assert.strictEqual(withContext.plaintext, "x");
            const wrongContext = (await rejectionOf(
                callKms(client, "Decrypt", { CiphertextBlob: sealed.ciphertextBlob }),
            )) as CloudApiError;
            assert.strictEqual(wrongContext.code, "InvalidCiphertext");
            const bytes = Buffer.from(sealed.ciphertextBlob, "base64");
            bytes[bytes.length - 1] ^= 1;
            const tampered = (await rejectionOf(
                callKms(client, "Decrypt", {
                    CiphertextBlob: bytes.toString("base64"),
                    EncryptionContext: JSON.stringify({ cluster: "prod" }),
                }),
            )) as CloudApiError;
            assert.strictEqual(tampered.code, "InvalidCiphertext");
        });

        it("refuses to use a disabled key", async () => {
            const keyId = emulator.seedKey({ keyState: "Disabled" });
            const error = (await rejectionOf(
                callKms(client, "GenerateDataKey", { KeyId: keyId }),
            )) as CloudApiError;
            assert.deepStrictEqual(
                [error.code, error.apiMessage],
                ["Rejected.Disabled", "The key is not enabled: it is Disabled."],
            );
        });

        it("runs the API server's envelope flow for a Secret end to end", async () => {
            const keyId = emulator.seedKey();
            const secret = Buffer.from(
                JSON.stringify({
                    apiVersion: "v1",
                    kind: "Secret",
                    data: { password: "czNjcjN0" },
                }),
            );

            // Write: a fresh data key from KMS encrypts the Secret locally; only the wrapped key is kept.
            const dataKey = await callKmsSdk(client, "GenerateDataKey", (sdk) =>
                sdk.generateDataKey(new Kms.GenerateDataKeyRequest({ keyId, keySpec: "AES_256" })),
            );
            const plainDataKey = Buffer.from(dataKey.plaintext, "base64");
            assert.strictEqual(plainDataKey.length, 32);
            const nonce = randomBytes(12);
            const cipher = createCipheriv("aes-256-gcm", plainDataKey, nonce);
            const stored = {
                wrappedKey: dataKey.ciphertextBlob,
                nonce,
                data: Buffer.concat([cipher.update(secret), cipher.final()]),
                tag: cipher.getAuthTag(),
            };
            assert.ok(!stored.data.includes(Buffer.from("czNjcjN0")));

            // Read: KMS unwraps the data key, which decrypts the Secret locally.
            const unwrapped = await callKmsSdk(client, "Decrypt", (sdk) =>
                sdk.decrypt(new Kms.DecryptRequest({ ciphertextBlob: stored.wrappedKey })),
            );
            assert.strictEqual(unwrapped.keyId, keyId);
            const decipher = createDecipheriv(
                "aes-256-gcm",
                Buffer.from(unwrapped.plaintext, "base64"),
                stored.nonce,
            );
            decipher.setAuthTag(stored.tag);
            const recovered = Buffer.concat([decipher.update(stored.data), decipher.final()]);
            assert.deepStrictEqual(recovered, secret);
            assert.deepStrictEqual(emulator.callCounts(), { GenerateDataKey: 1, Decrypt: 1 });

            // With the key disabled, the API server can no longer read its Secrets.
            emulator.key(keyId).keyState = "Disabled";
            const refused = (await rejectionOf(
                callKms(client, "Decrypt", { CiphertextBlob: stored.wrappedKey }),
            )) as CloudApiError;
            assert.strictEqual(refused.code, "Rejected.Disabled");
        });
    });
});
