// The guard's provider host receives every input in plain text: the component names the inputs the
// program gave as secrets (`secretInputs`), and the provider writes them as `[secret]` in every log
// line, check failure and error, through its real path against the KMS emulator.

import * as assert from "assert";
import { KeyDeletionGuardInputs } from "../../components/keyDeletionGuard/inputs";
import { KmsEmulator, startKmsEmulator } from "../support/kmsEmulator";
import {
    guardInputs,
    guardProvider,
    rejectionOf,
    testAccessKey,
    useCredentialEnvironment,
} from "./harness";

describe("KeyDeletionGuard provider with secret inputs", () => {
    let emulator: KmsEmulator;
    let restoreEnvironment: () => void;
    let logs: string[];
    // Saved per test, not when the file loads: other specs patch the console in between.
    let savedLog: typeof console.log;
    let savedWarn: typeof console.warn;
    const provider = guardProvider();
    const secretBoundTo = "ACK cluster s3cr3t-prod";

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
        savedLog = console.log;
        savedWarn = console.warn;
        logs = [];
        console.log = (...parts: unknown[]) => logs.push(parts.map(String).join(" "));
        console.warn = (...parts: unknown[]) => logs.push(parts.map(String).join(" "));
    });
    afterEach(() => {
        console.log = savedLog;
        console.warn = savedWarn;
        restoreEnvironment();
    });

    function secretInputs(
        keyId: string,
        overrides: Partial<KeyDeletionGuardInputs> = {},
    ): KeyDeletionGuardInputs {
        return guardInputs(emulator, keyId, {
            boundTo: secretBoundTo,
            secretInputs: ["keyId", "boundTo"],
            ...overrides,
        });
    }

    /** Fails when any of `secrets` is in any log line or in `texts`. */
    function assertNowhere(secrets: string[], texts: string[] = []): void {
        for (const text of [...logs, ...texts]) {
            for (const secret of secrets) {
                assert.ok(!text.includes(secret), `"${secret}" is in: ${text}`);
            }
        }
    }

    it("writes a secret keyId as [secret] when the key is not found, in the message and the stack", async () => {
        const error = await rejectionOf(provider.create(secretInputs("key-s3cr3t404")));
        assert.match(
            error.message,
            /^\[keyId\] "\[secret\]" was not found in region cn-hangzhou: the key must exist and be in the cluster's region \(KMS Forbidden\.KeyNotFound, RequestId: /,
        );
        assertNowhere(["key-s3cr3t404", "s3cr3t"], [error.message, String(error.stack)]);
    });

    it("writes a secret ARN and the key id inside it as [secret] when the key is unfit", async () => {
        const keyId = emulator.seedKey({ keyState: "Disabled" });
        const error = await rejectionOf(provider.create(secretInputs(emulator.arnOf(keyId))));
        assert.strictEqual(
            error.message,
            '[keyId] "[secret]" in cn-hangzhou cannot encrypt Kubernetes Secrets: its state is "Disabled": it must be "Enabled".',
        );
        assertNowhere([keyId], [error.message, String(error.stack)]);
    });

    it("writes secret inputs as [secret] in check failures", async () => {
        const result = await provider.check(
            {},
            secretInputs("not a key id", {
                boundTo: `s3cr3t ${"x".repeat(128)}`,
                endpoint: "ftp://s3cr3t.example",
                secretInputs: ["keyId", "boundTo", "endpoint"],
            }),
        );
        assert.deepStrictEqual(result.failures, [
            {
                property: "keyId",
                reason: '[keyId] "[secret]" is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).',
            },
            {
                property: "boundTo",
                reason: "[boundTo] [secret] is 135 characters long: at most 128 are allowed.",
            },
            {
                property: "endpoint",
                reason: '[endpoint] "[secret]" is not a KMS endpoint: it uses ftp (only https, and http to this machine, are allowed); give a host such as kms-vpc.cn-hangzhou.aliyuncs.com or a URL such as https://kms.cn-hangzhou.aliyuncs.com.',
            },
        ]);
        assertNowhere(["s3cr3t", "not a key id"], [JSON.stringify(result.failures)]);
    });

    it("writes a secret keyId as [secret] in its log, and keeps the values themselves in the state", async () => {
        const keyId = emulator.seedKey({
            deletionProtection: "Enabled",
            deletionProtectionDescription: "Set by the security team.",
        });
        const created = await provider.create(secretInputs(keyId));
        assert.ok(
            logs.some((l) =>
                l.includes(
                    "Deletion protection of KMS key [secret] was set by someone else: left as it is",
                ),
            ),
            logs.join("\n"),
        );
        assertNowhere([keyId, secretBoundTo]);
        // The state is the engine's to keep secret (the inputs were secrets): the values stay.
        assert.strictEqual(created.outs.keyId, keyId);
        assert.strictEqual(created.outs.boundTo, secretBoundTo);
        assert.deepStrictEqual(created.outs.secretInputs, ["keyId", "boundTo"]);
    });

    it("never writes a secret keyId or boundTo in any log line or error over a guard's whole life", async () => {
        const oldKey = emulator.seedKey();
        const newKey = emulator.seedKey();
        const texts: string[] = [];
        const created = await provider.create(secretInputs(oldKey));
        const renamed = await provider.update(
            created.id,
            created.outs,
            secretInputs(oldKey, { boundTo: `${secretBoundTo} (renamed)` }),
        );
        const moved = await provider.update(
            created.id,
            { ...created.outs, ...renamed.outs },
            secretInputs(newKey, { boundTo: `${secretBoundTo} (renamed)` }),
        );
        assert.ok(
            logs.some((l) =>
                l.includes("KeyDeletionGuard moved from KMS key [secret] to [secret]"),
            ),
            logs.join("\n"),
        );
        const state = { ...created.outs, ...renamed.outs, ...moved.outs };
        const read = await provider.read(created.id, state);
        assert.strictEqual(read.props?.holderRecorded, true);
        emulator.injectFault({ kind: "internalFailure", times: 10 });
        texts.push((await rejectionOf(provider.read(created.id, state))).message);
        texts.push((await rejectionOf(provider.delete(created.id, state))).message);
        emulator.clearFaults();
        await provider.delete(created.id, state);
        assert.ok(
            logs.some((l) => l.includes("Deletion protection of KMS key [secret] stays on")),
            logs.join("\n"),
        );
        assert.ok(texts.every((text) => text.length > 0));
        assertNowhere([oldKey, newKey, secretBoundTo, "s3cr3t"], texts);
    });

    it("writes values in plain text when no input was a secret", async () => {
        const error = await rejectionOf(provider.create(guardInputs(emulator, "key-plain404")));
        assert.match(error.message, /^\[keyId\] "key-plain404" was not found in region /);
    });
});
