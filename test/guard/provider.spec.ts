// The guard's dynamic provider through its real path: provider object -> module loaded by path ->
// cloud/kms -> @alicloud/kms20160120 -> HTTP -> the KMS emulator, which checks every signature.

import * as assert from "assert";
import { formatHolders, holderEntry } from "../../components/keyDeletionGuard/holders";
import { KmsEmulator, startKmsEmulator } from "../support/kmsEmulator";
import {
    guardInputs,
    guardProvider,
    rejectionOf,
    testAccessKey,
    useCredentialEnvironment,
} from "./harness";

describe("KeyDeletionGuard provider against the KMS emulator", () => {
    let emulator: KmsEmulator;
    let restoreEnvironment: () => void;
    const provider = guardProvider();

    before(async () => {
        emulator = await startKmsEmulator({ accessKeys: [testAccessKey] });
    });
    after(async () => {
        await emulator.stop();
    });
    beforeEach(() => {
        restoreEnvironment = useCredentialEnvironment({
            ALIBABA_CLOUD_ACCESS_KEY_ID: testAccessKey.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: testAccessKey.accessKeySecret,
        });
        emulator.clearFaults();
        emulator.resetCalls();
    });
    afterEach(() => restoreEnvironment());

    describe("lifecycle", () => {
        it("creates with DescribeKey, SetDeletionProtection naming the cluster and its holder token, then reads it back", async () => {
            const keyId = emulator.seedKey();
            const result = await provider.create(guardInputs(emulator, keyId));

            assert.deepStrictEqual(
                emulator.calls.map((call) => call.action),
                ["DescribeKey", "SetDeletionProtection", "DescribeKey"],
            );
            assert.strictEqual(result.id, emulator.arnOf(keyId));
            assert.strictEqual(result.outs.protectionWasAlreadyOn, false);
            assert.strictEqual(result.outs.kmsKeyId, keyId);
            assert.match(result.outs.holderToken!, /^[0-9a-f]{12}$/);
            assert.strictEqual(result.outs.holderRecorded, true);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            assert.strictEqual(
                emulator.key(keyId).deletionProtectionDescription,
                `Protected by ack-kms KeyDeletionGuard for: prod-cluster [${result.outs.holderToken}]. Deleting or disabling this key breaks their Kubernetes Secrets.`,
            );
            assert.strictEqual(
                result.outs.protectionDescription,
                emulator.key(keyId).deletionProtectionDescription,
            );
            const setCall = emulator.calls[1];
            assert.strictEqual(setCall.parameters.ProtectedResourceArn, emulator.arnOf(keyId));
            assert.strictEqual(setCall.parameters.EnableDeletionProtection, "true");
        });

        it("accepts the key's ARN as keyId and reports the key id KMS gives", async () => {
            const keyId = emulator.seedKey();
            const result = await provider.create(guardInputs(emulator, emulator.arnOf(keyId)));
            assert.strictEqual(result.outs.kmsKeyId, keyId);
            assert.strictEqual(result.outs.keyId, emulator.arnOf(keyId));
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("makes no KMS call when the inputs did not change", async () => {
            const keyId = emulator.seedKey();
            const inputs = guardInputs(emulator, keyId);
            const created = await provider.create(inputs);
            emulator.resetCalls();

            const diff = await provider.diff(created.id, created.outs, inputs);

            assert.deepStrictEqual(diff, {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
            assert.strictEqual(emulator.callCount(), 0);
        });

        it("updates the description in place when the binding changes", async () => {
            const keyId = emulator.seedKey();
            const created = await provider.create(guardInputs(emulator, keyId));
            const renamed = guardInputs(emulator, keyId, { boundTo: "prod-cluster-blue" });

            const diff = await provider.diff(created.id, created.outs, renamed);
            assert.deepStrictEqual(diff, {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            emulator.resetCalls();
            const updated = await provider.update(created.id, created.outs, renamed);

            assert.deepStrictEqual(emulator.callCounts(), {
                DescribeKey: 2,
                SetDeletionProtection: 1,
            });
            const renamedList = formatHolders([
                holderEntry(created.outs.holderToken!, "prod-cluster-blue"),
            ]);
            assert.strictEqual(emulator.key(keyId).deletionProtectionDescription, renamedList);
            assert.strictEqual(updated.outs!.protectionDescription, renamedList);
            assert.strictEqual(updated.outs!.holderToken, created.outs.holderToken);
            assert.strictEqual(updated.outs!.protectionWasAlreadyOn, false);
            assert.strictEqual(updated.outs!.keyArn, created.outs.keyArn);
        });

        it("never replaces the guard: another key or another region is an update in place", async () => {
            const keyId = emulator.seedKey();
            const created = await provider.create(guardInputs(emulator, keyId));

            const otherKey = await provider.diff(
                created.id,
                created.outs,
                guardInputs(emulator, "key-other"),
            );
            const otherRegion = await provider.diff(
                created.id,
                created.outs,
                guardInputs(emulator, keyId, { regionId: "cn-beijing" }),
            );

            for (const diff of [otherKey, otherRegion]) {
                assert.deepStrictEqual(diff, {
                    changes: true,
                    replaces: [],
                    deleteBeforeReplace: false,
                });
            }
        });

        it("does not replace when the same key is given by its ARN instead of its id", async () => {
            const keyId = emulator.seedKey();
            const created = await provider.create(guardInputs(emulator, keyId));
            const diff = await provider.diff(
                created.id,
                created.outs,
                guardInputs(emulator, emulator.arnOf(keyId)),
            );
            assert.deepStrictEqual(diff, {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("leaves protection on at delete by default, even when it turned it on", async () => {
            const keyId = emulator.seedKey();
            const created = await provider.create(guardInputs(emulator, keyId));
            const written = emulator.key(keyId).deletionProtectionDescription;
            emulator.resetCalls();

            await provider.delete(created.id, created.outs);

            assert.deepStrictEqual(emulator.callCounts(), { DescribeKey: 1 });
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            assert.strictEqual(emulator.key(keyId).deletionProtectionDescription, written);
        });

        it("turns protection off on delete with releaseProtectionOnDelete when it turned it on and is the only holder", async () => {
            const keyId = emulator.seedKey();
            const created = await provider.create(
                guardInputs(emulator, keyId, { releaseProtectionOnDelete: true }),
            );
            emulator.resetCalls();

            await provider.delete(created.id, created.outs);

            assert.deepStrictEqual(
                emulator.calls.map((call) => call.action),
                ["DescribeKey", "SetDeletionProtection"],
            );
            assert.strictEqual(emulator.calls[1].parameters.EnableDeletionProtection, "false");
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Disabled");
        });

        it("leaves protection that was already on, and its description, when created and deleted", async () => {
            const keyId = emulator.seedKey({
                deletionProtection: "Enabled",
                deletionProtectionDescription: "Set by the security team",
            });
            const inputs = guardInputs(emulator, keyId, { releaseProtectionOnDelete: true });
            const created = await provider.create(inputs);
            assert.deepStrictEqual(emulator.callCounts(), { DescribeKey: 1 });
            assert.strictEqual(created.outs.protectionWasAlreadyOn, true);
            assert.strictEqual(created.outs.holderRecorded, false);

            const updated = await provider.update(created.id, created.outs, {
                ...inputs,
                boundTo: "renamed",
            });
            await provider.delete(created.id, updated.outs as typeof created.outs);

            // Read each time, written never.
            assert.deepStrictEqual(emulator.callCounts(), { DescribeKey: 3 });
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            assert.strictEqual(
                emulator.key(keyId).deletionProtectionDescription,
                "Set by the security team",
            );
        });

        it("succeeds on delete when the key is gone", async () => {
            const keyId = emulator.seedKey();
            const created = await provider.create(guardInputs(emulator, keyId));
            await provider.delete(created.id, {
                ...created.outs,
                keyArn: emulator.arnOf("key-gone"),
            });
            assert.deepStrictEqual(emulator.callCounts(), {
                DescribeKey: 3,
                SetDeletionProtection: 1,
            });
        });

        it("blocks ScheduleKeyDeletion while the guard exists, and not after it is deleted with releaseProtectionOnDelete", async () => {
            const keyId = emulator.seedKey();
            const created = await provider.create(
                guardInputs(emulator, keyId, { releaseProtectionOnDelete: true }),
            );
            const { createKmsClient, callKms } = await import("../../cloud/kms");
            const client = createKmsClient({
                regionId: emulator.regionId,
                endpoint: emulator.endpoint,
                credentials: testAccessKey,
                retry: { maxAttempts: 1 },
            });

            const refused = await rejectionOf(
                callKms(client, "ScheduleKeyDeletion", { KeyId: keyId, PendingWindowInDays: "7" }),
            );
            assert.match(
                refused.message,
                /^KMS ScheduleKeyDeletion failed: Forbidden\.ResourceProtected: The resource is protected by deletion protection and cannot be deleted\. \(RequestId: [0-9A-F-]{36}\)$/,
            );
            await provider.delete(created.id, created.outs);
            await callKms(client, "ScheduleKeyDeletion", {
                KeyId: keyId,
                PendingWindowInDays: "7",
            });
            assert.strictEqual(emulator.key(keyId).keyState, "PendingDeletion");
        });
    });

    describe("refusals", () => {
        async function createError(keyId: string, overrides = {}): Promise<string> {
            return (await rejectionOf(provider.create(guardInputs(emulator, keyId, overrides))))
                .message;
        }

        it("refuses a key that is not in the region", async () => {
            const message = await createError("key-elsewhere");
            assert.match(
                message,
                /^\[keyId\] "key-elsewhere" was not found in region cn-hangzhou: the key must exist and be in the cluster's region \(KMS Forbidden\.KeyNotFound, RequestId: [0-9A-F-]{36}\)\.$/,
            );
            assert.deepStrictEqual(emulator.callCounts(), { DescribeKey: 1 });
        });

        it("refuses a key ARN from another region before calling KMS", async () => {
            const message = await createError("acs:kms:cn-beijing:1234567890123456:key/key-1");
            assert.strictEqual(
                message,
                '[keyId] "acs:kms:cn-beijing:1234567890123456:key/key-1" is a key in cn-beijing, but [regionId] is "cn-hangzhou": the key and the cluster must be in the same region.',
            );
            assert.strictEqual(emulator.callCount(), 0);
        });

        it("refuses a disabled key", async () => {
            const keyId = emulator.seedKey({ keyState: "Disabled" });
            assert.strictEqual(
                await createError(keyId),
                `[keyId] "${keyId}" in cn-hangzhou cannot encrypt Kubernetes Secrets: its state is "Disabled": it must be "Enabled".`,
            );
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Disabled");
        });

        it("refuses a key pending deletion", async () => {
            const keyId = emulator.seedKey({
                keyState: "PendingDeletion",
                deleteDate: "2026-12-30T00:00:00Z",
            });
            assert.strictEqual(
                await createError(keyId),
                `[keyId] "${keyId}" in cn-hangzhou cannot encrypt Kubernetes Secrets: it is scheduled for deletion on 2026-12-30T00:00:00Z (PendingDeletion): cancel the deletion (CancelKeyDeletion) first.`,
            );
        });

        it("refuses a key spec other than Aliyun_AES_256", async () => {
            const keyId = emulator.seedKey({ keySpec: "Aliyun_SM4" });
            assert.strictEqual(
                await createError(keyId),
                `[keyId] "${keyId}" in cn-hangzhou cannot encrypt Kubernetes Secrets: its key spec is "Aliyun_SM4": ACK accepts only "Aliyun_AES_256".`,
            );
        });

        it("refuses a key whose usage is not ENCRYPT/DECRYPT, listing every problem", async () => {
            const keyId = emulator.seedKey({
                keySpec: "RSA_2048",
                keyUsage: "SIGN/VERIFY",
                keyState: "Disabled",
            });
            assert.strictEqual(
                await createError(keyId),
                `[keyId] "${keyId}" in cn-hangzhou cannot encrypt Kubernetes Secrets: its state is "Disabled": it must be "Enabled"; its key spec is "RSA_2048": ACK accepts only "Aliyun_AES_256"; its usage is "SIGN/VERIFY": it must be "ENCRYPT/DECRYPT".`,
            );
            assert.deepStrictEqual(emulator.callCounts(), { DescribeKey: 1 });
        });

        it("refuses bad inputs in check, naming each argument", async () => {
            const result = await provider.check(
                {},
                guardInputs(emulator, "", {
                    regionId: "Hangzhou",
                    boundTo: " ",
                    endpoint: "ftp://kms",
                }),
            );
            assert.deepStrictEqual(result.failures, [
                {
                    property: "keyId",
                    reason: '[keyId] "" is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).',
                },
                {
                    property: "regionId",
                    reason: '[regionId] "Hangzhou" is not a region id: give one such as cn-hangzhou.',
                },
                {
                    property: "boundTo",
                    reason: '[boundTo] " " is empty: name what the key protects, such as the cluster name.',
                },
                {
                    property: "endpoint",
                    reason: '[endpoint] "ftp://kms" is not a KMS endpoint: it uses ftp (only https, and http to this machine, are allowed); give a host such as kms-vpc.cn-hangzhou.aliyuncs.com or a URL such as https://kms.cn-hangzhou.aliyuncs.com.',
                },
            ]);
        });

        it("refuses an endpoint that is not a string, naming the argument", async () => {
            const result = await provider.check(
                {},
                guardInputs(emulator, "key-1", { endpoint: 5 as unknown as string }),
            );
            assert.deepStrictEqual(result.failures, [
                {
                    property: "endpoint",
                    reason: "[endpoint] 5 is not an endpoint: give a host name or an http(s) URL as a string.",
                },
            ]);
        });

        it("skips values not known yet in check (preview)", async () => {
            const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
            const result = await provider.check(
                {},
                guardInputs(emulator, unknown, { boundTo: unknown }),
            );
            assert.deepStrictEqual(result.failures, []);
        });

        it("fails with the variables to set when no credentials are in the environment", async () => {
            useCredentialEnvironment({});
            const keyId = emulator.seedKey();
            assert.strictEqual(
                await createError(keyId),
                "No Alibaba Cloud credentials in the environment: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), plus ALIBABA_CLOUD_SECURITY_TOKEN (or ALICLOUD_SECURITY_TOKEN) for STS credentials.",
            );
            assert.strictEqual(emulator.callCount(), 0);
        });

        it("uses the provider's ALICLOUD_* variables", async () => {
            useCredentialEnvironment({
                ALICLOUD_ACCESS_KEY: testAccessKey.accessKeyId,
                ALICLOUD_SECRET_KEY: testAccessKey.accessKeySecret,
            });
            const keyId = emulator.seedKey();
            await provider.create(guardInputs(emulator, keyId));
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("fails at once, with KMS's code and RequestId, when the secret is wrong", async () => {
            useCredentialEnvironment({
                ALIBABA_CLOUD_ACCESS_KEY_ID: testAccessKey.accessKeyId,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: "not-the-secret",
            });
            const message = await createError(emulator.seedKey());
            assert.match(
                message,
                /^KMS DescribeKey failed: SignatureDoesNotMatch: Specified signature is not matched with our calculation\. \(RequestId: [0-9A-F-]{36}\)$/,
            );
            assert.strictEqual(emulator.callCount(), 1);
        });
    });

    describe("faults", () => {
        it("retries throttling until KMS answers", async () => {
            const keyId = emulator.seedKey();
            emulator.injectFault({ kind: "throttle", times: 2, action: "DescribeKey" });
            await provider.create(guardInputs(emulator, keyId));
            assert.deepStrictEqual(emulator.callCounts(), {
                DescribeKey: 4,
                SetDeletionProtection: 1,
            });
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("retries InternalFailure (500) and ServiceUnavailableTemporary (503)", async () => {
            const keyId = emulator.seedKey();
            emulator.injectFault({ kind: "internalFailure", action: "SetDeletionProtection" });
            emulator.injectFault({ kind: "serviceUnavailable", action: "SetDeletionProtection" });
            await provider.create(guardInputs(emulator, keyId));
            assert.deepStrictEqual(emulator.callCounts(), {
                DescribeKey: 2,
                SetDeletionProtection: 3,
            });
        });

        it("retries an answer that times out", async () => {
            const keyId = emulator.seedKey();
            emulator.injectFault({ kind: "delay", delayMs: 600, action: "DescribeKey" });
            await provider.create(guardInputs(emulator, keyId));
            assert.deepStrictEqual(emulator.callCounts(), {
                DescribeKey: 3,
                SetDeletionProtection: 1,
            });
        });

        it("retries a dropped connection and a gateway page that is not JSON", async () => {
            const keyId = emulator.seedKey();
            emulator.injectFault({ kind: "drop", action: "DescribeKey" });
            emulator.injectFault({ kind: "badGateway", action: "DescribeKey" });
            await provider.create(guardInputs(emulator, keyId));
            assert.deepStrictEqual(emulator.callCounts(), {
                DescribeKey: 4,
                SetDeletionProtection: 1,
            });
        });

        it("gives up after maxAttempts with the last KMS error", async () => {
            const keyId = emulator.seedKey();
            emulator.injectFault({ kind: "throttle", times: 10 });
            const error = await rejectionOf(provider.create(guardInputs(emulator, keyId)));
            assert.match(
                error.message,
                /^KMS DescribeKey failed: Rejected\.Throttling: QPS Limit Exceeded \(RequestId: [0-9A-F-]{36}\)$/,
            );
            assert.deepStrictEqual(emulator.callCounts(), { DescribeKey: 4 });
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Disabled");
        });

        it("is safe to run again after a failed create", async () => {
            const keyId = emulator.seedKey();
            emulator.injectFault({
                kind: "internalFailure",
                times: 4,
                action: "SetDeletionProtection",
            });
            await rejectionOf(provider.create(guardInputs(emulator, keyId)));
            const result = await provider.create(guardInputs(emulator, keyId));
            assert.strictEqual(result.outs.protectionWasAlreadyOn, false);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("keeps the access key, signature and token out of transport error messages", async () => {
            useCredentialEnvironment({
                ALIBABA_CLOUD_ACCESS_KEY_ID: testAccessKey.accessKeyId,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: testAccessKey.accessKeySecret,
                ALIBABA_CLOUD_SECURITY_TOKEN: "sts-token-must-not-leak",
            });
            emulator.injectFault({ kind: "drop", times: 10 });
            const error = await rejectionOf(
                provider.create(guardInputs(emulator, emulator.seedKey())),
            );
            assert.match(
                error.message,
                /^KMS DescribeKey failed: ConnectionDropped: ECONNRESET: socket hang up: POST http:\/\/127\.0\.0\.1:\d+\/ failed\.$/,
            );
            assert.ok(!error.message.includes("sts-token-must-not-leak"));
            assert.ok(!error.message.includes(testAccessKey.accessKeyId));
        });
    });
});
