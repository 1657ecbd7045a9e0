// The 409 budget in cloud time: ACK's real 5-minute cooldown and default timings, on a virtual
// clock shared by the CS emulator and the waits, with real signed HTTP calls through the SDKs.
import { strict as assert } from "assert";
import { enableClusterEncryption, defaultEncryptionTiming } from "../../cloud/clusterEncryption";
import { createCsClient } from "../../cloud/cs";
import { createKmsClient } from "../../cloud/kms";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";
import { KmsEmulator } from "../support/kmsEmulator";

const credentials = { accessKeyId: "LTAItestKey", accessKeySecret: "test-secret-value" };

describe("enabling encryption right after another change (virtual clock, default timings)", () => {
    let cs: CsEmulator;
    let kms: KmsEmulator;
    let clock = 0;
    beforeEach(async () => {
        clock = Date.parse("2026-01-01T00:00:00Z");
        cs = await startCsEmulator({
            credentials: [credentials],
            now: () => clock,
            cooldownMs: 5 * 60_000,
            updateDurationMs: 3 * 60_000,
        });
        kms = await new KmsEmulator({ accessKeys: [credentials] }).start();
    });
    afterEach(async () => {
        await cs.close();
        await kms.stop();
    });

    async function enableAfter(msSinceLastChange: number) {
        cs.addCluster({ clusterId: "c1" });
        cs.markChangeFinished("c1", clock - msSinceLastChange);
        kms.seedKey({ keyId: "key-1" });
        const context = {
            cs: createCsClient({ regionId: "cn-hangzhou", endpoint: cs.url, credentials }),
            kms: createKmsClient({ regionId: "cn-hangzhou", endpoint: kms.endpoint, credentials }),
            clusterId: "c1",
            regionId: "cn-hangzhou",
            timing: {
                now: () => clock,
                sleep: async (ms: number) => {
                    clock += ms;
                },
            },
        };
        const result = await enableClusterEncryption(context, "key-1");
        return {
            result,
            updates: cs.calls.filter((c) => c.action === "UpdateKMSEncryption").length,
            describes: cs.calls.filter((c) => c.action === "DescribeClusterDetail").length,
        };
    }

    it("waits out a full 5-minute cooldown in 12 update calls, then 3 minutes of updating", async () => {
        const { result, updates, describes } = await enableAfter(0);
        // Waits of 10, 20, 30, 30, ... s: calls at 0, 10, 30, 60, ..., 270 s get 409, the one at 300 s goes through.
        assert.equal(result.conflicts, 11);
        assert.equal(updates, 12);
        assert.equal(result.updateCalls, 12);
        // The preflight read, one read after each 409, then every 10 s from 300 s to 480 s.
        assert.equal(describes, 1 + 11 + 19);
        assert.equal(result.elapsedMs, 300_000 + 180_000);
        assert.ok(
            result.elapsedMs <
                defaultEncryptionTiming.conflictBudgetMs + defaultEncryptionTiming.waitTimeoutMs,
        );
    });

    it("makes a single update call when the last change is more than 5 minutes old", async () => {
        const { result, updates } = await enableAfter(6 * 60_000);
        assert.deepEqual([result.conflicts, updates, result.elapsedMs], [0, 1, 180_000]);
    });
});
