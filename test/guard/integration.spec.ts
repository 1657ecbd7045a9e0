// Against the real KMS, only when the environment provides credentials and a disposable key:
//   ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_*),
//   ACK_KMS_IT_REGION (e.g. cn-hangzhou) and ACK_KMS_IT_KEY_ID (an Enabled Aliyun_AES_256 key).
// The key's deletion protection is left as it was found.

import * as assert from "assert";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import { createKmsClient, describeKey } from "../../cloud/kms";
import { providerModuleCandidates } from "../../components/keyDeletionGuard/provider";
import { keyDeletionGuardKind } from "../../policy/facts";
import { guardProvider } from "./harness";

function integrationSettings(): { regionId: string; keyId: string } | string {
    try {
        credentialsFromEnvironment();
    } catch {
        return "no Alibaba Cloud credentials in the environment (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET)";
    }
    const regionId = process.env.ACK_KMS_IT_REGION;
    const keyId = process.env.ACK_KMS_IT_KEY_ID;
    if (!regionId || !keyId) {
        return "ACK_KMS_IT_REGION and ACK_KMS_IT_KEY_ID (a disposable KMS key) are not set";
    }
    return { regionId, keyId };
}

describe("KeyDeletionGuard against the real KMS", function () {
    this.timeout(120_000);
    const settings = integrationSettings();

    before(function () {
        if (typeof settings === "string") {
            console.log(`    skipped: ${settings}`);
            this.skip();
        }
    });

    it("protects the key, then restores the protection it found (with releaseProtectionOnDelete)", async () => {
        const { regionId, keyId } = settings as { regionId: string; keyId: string };
        const client = createKmsClient({ regionId, credentials: credentialsFromEnvironment() });
        const before = await describeKey(client, keyId);
        const provider = guardProvider({
            moduleCandidates: providerModuleCandidates(),
            timeoutMs: 10_000,
        });
        const inputs = {
            kind: keyDeletionGuardKind,
            keyId,
            regionId,
            boundTo: "ack-kms integration test",
            // Opted in, so a key the test found unprotected is unprotected again at the end.
            releaseProtectionOnDelete: true,
        };

        const created = await provider.create(inputs);
        assert.strictEqual(
            created.outs.protectionWasAlreadyOn,
            before.deletionProtection === "Enabled",
        );
        assert.strictEqual((await describeKey(client, keyId)).deletionProtection, "Enabled");

        await provider.delete(created.id, created.outs);
        assert.strictEqual(
            (await describeKey(client, keyId)).deletionProtection,
            before.deletionProtection,
        );
    });
});
