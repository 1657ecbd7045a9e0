// ExistingClusterEncryption's provider operations, run as the dynamic provider host runs them,
// through the real @alicloud/cs20151215 and @alicloud/kms20160120 SDKs against local emulators.
import { strict as assert } from "assert";
import {
    createEncryption as createEncryptionResult,
    deleteEncryption,
    diffEncryption,
    readEncryption,
    updateEncryption,
} from "../../components/existingClusterEncryption/operations";
import {
    ExistingClusterEncryptionInputs,
    ExistingClusterEncryptionOutputs,
} from "../../components/existingClusterEncryption/inputs";
import { ExistingClusterEncryptionProviderSettings } from "../../components/existingClusterEncryption/settings";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";
import { KmsEmulator } from "../support/kmsEmulator";

/** createEncryption, with the outputs a create always returns. */
async function createEncryption(
    inputs: ExistingClusterEncryptionInputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<{ id: string; outs: ExistingClusterEncryptionOutputs }> {
    const result = await createEncryptionResult(inputs, settings);
    assert.ok(result.outs);
    return { id: result.id, outs: result.outs };
}

const credentials = { accessKeyId: "LTAItestKey", accessKeySecret: "test-secret-value" };
const fast: ExistingClusterEncryptionProviderSettings = {
    moduleCandidates: [],
    timing: {
        pollIntervalMs: 20,
        maxConflictDelayMs: 100,
        conflictBudgetMs: 5_000,
        waitTimeoutMs: 5_000,
    },
};

describe("ExistingClusterEncryption provider against the CS and KMS emulators", () => {
    let cs: CsEmulator;
    let kms: KmsEmulator;
    let logs: string[];
    const savedEnv = { ...process.env };
    // Saved per test, not when the file loads: other specs patch the console in between.
    let savedLog: typeof console.log;
    let savedWarn: typeof console.warn;

    beforeEach(async () => {
        savedLog = console.log;
        savedWarn = console.warn;
        cs = await startCsEmulator({ credentials: [credentials], updateDurationMs: 60 });
        kms = await new KmsEmulator({ accessKeys: [credentials] }).start();
        process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = credentials.accessKeyId;
        process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = credentials.accessKeySecret;
        delete process.env.ALIBABA_CLOUD_SECURITY_TOKEN;
        logs = [];
        console.log = (...parts: unknown[]) => logs.push(parts.map(String).join(" "));
        console.warn = (...parts: unknown[]) => logs.push(parts.map(String).join(" "));
    });
    afterEach(async () => {
        console.log = savedLog;
        console.warn = savedWarn;
        process.env = { ...savedEnv };
        await cs.close();
        await kms.stop();
    });

    function inputs(
        overrides: Partial<ExistingClusterEncryptionInputs> = {},
    ): ExistingClusterEncryptionInputs {
        return {
            kind: "ack-kms:ExistingClusterEncryption",
            clusterId: "c1",
            keyId: "key-1",
            regionId: "cn-hangzhou",
            disableOnDelete: false,
            csEndpoint: cs.url,
            kmsEndpoint: kms.endpoint,
            ...overrides,
        };
    }

    describe("with a secret key ARN (test/existing/secretKeyArn.spec.ts)", () => {
        const bareId = "key-hzzs3cr3t0000000000001";
        const secretArn = (keyId: string) => inputs({ keyId, secretInputs: ["keyId"] });

        it("names neither the ARN nor its key id in an error", async () => {
            cs.addCluster({ clusterId: "c1" });
            const arn = `acs:kms:cn-hangzhou:1234567890:key/${bareId}`;
            await assert.rejects(createEncryption(secretArn(arn), fast), (error: Error) => {
                assert.match(error.message, /^\[keyId\] /);
                for (const text of [error.message, String(error.stack), ...logs]) {
                    assert.ok(!text.includes(bareId), text);
                }
                return true;
            });
        });

        it("names neither the ARN nor its key id in its log", async () => {
            cs.addCluster({ clusterId: "c1" });
            const keyId = kms.seedKey({ keyId: bareId });
            const result = await createEncryption(secretArn(kms.arnOf(keyId)), fast);
            assert.ok(result.outs);
            assert.ok(logs.length > 0);
            for (const line of logs) {
                assert.ok(!line.includes(bareId), line);
            }
        });
    });

    it("keeps the served provider's timings in the state, for the delete and read that get only it", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        const providerTiming = { ...fast.timing, waitTimeoutMs: 4_000 };
        const result = await createEncryption(inputs({ providerTiming }), fast);
        assert.deepEqual(result.outs.providerTiming, providerTiming);
        // The dynamic path captures its timings in the provider: nothing extra in its state.
        cs.addCluster({ clusterId: "c2" });
        const dynamic = await createEncryption(inputs({ clusterId: "c2" }), fast);
        assert.equal("providerTiming" in dynamic.outs, false);
    });

    it("turns encryption on, waits for running, and reports the key", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        const result = await createEncryption(inputs(), fast);
        assert.equal(result.id, "c1");
        assert.equal(result.outs.kmsKeyId, "key-1");
        assert.equal(result.outs.keyArn, kms.arnOf("key-1"));
        assert.equal(result.outs.encryptionWasAlreadyOn, false);
        const cluster = cs.clusters.get("c1")!;
        assert.deepEqual(
            [cluster.state, cluster.encryptionKeyId, cluster.encryptionDisabled],
            ["running", "key-1", false],
        );
        assert.deepEqual(
            cs.calls.filter((c) => c.action === "UpdateKMSEncryption").map((c) => c.body),
            [{ disable_encryption: false, kms_key_id: "key-1" }],
        );
        assert.ok(
            logs.some((l) =>
                l.includes("Cluster c1 is updating, waiting for Secret encryption to be on"),
            ),
            logs.join("\n"),
        );
        assert.ok(
            logs.some((l) => l.includes("Cluster c1 is running: Secret encryption to be on")),
        );
        assert.equal(cs.rejectedSignatures(), 0);
    });

    it("does not call UpdateKMSEncryption when the cluster already encrypts with the key", async () => {
        cs.addCluster({ clusterId: "c1", encryptionKeyId: "key-1", encryptionDisabled: false });
        kms.seedKey({ keyId: "key-1" });
        const result = await createEncryption(inputs({ keyId: kms.arnOf("key-1") }), fast);
        assert.equal(result.outs.encryptionWasAlreadyOn, true);
        assert.equal(cs.calls.filter((c) => c.action === "UpdateKMSEncryption").length, 0);
    });

    it("waits out HTTP 409 within the budget, then succeeds", async () => {
        await cs.close();
        cs = await startCsEmulator({
            credentials: [credentials],
            updateDurationMs: 60,
            cooldownMs: 400,
        });
        cs.addCluster({ clusterId: "c1" });
        cs.markChangeFinished("c1", Date.now());
        kms.seedKey({ keyId: "key-1" });
        const startedAt = Date.now();
        await createEncryption(inputs(), fast);
        const elapsed = Date.now() - startedAt;
        const updates = cs.calls.filter((c) => c.action === "UpdateKMSEncryption");
        assert.ok(
            updates.length >= 2,
            `expected a 409 first, got ${updates.map((u) => u.statusCode).join(",")}`,
        );
        assert.deepEqual(
            updates.map((u) => u.statusCode),
            [...updates.slice(0, -1).map(() => 409), 202],
        );
        assert.ok(elapsed >= 400, `finished in ${elapsed} ms, before the cooldown ended`);
        assert.ok(
            logs.some((l) =>
                l.includes(
                    "ACK allows one encryption change per 5 minutes on cluster c1 (HTTP 409); retrying in",
                ),
            ),
        );
    });

    it("gives up on HTTP 409 once the budget is spent, saying why", async () => {
        cs.addCluster({ clusterId: "c1" });
        cs.markChangeFinished("c1", Date.now());
        kms.seedKey({ keyId: "key-1" });
        const settings = { ...fast, timing: { ...fast.timing, conflictBudgetMs: 150 } };
        await assert.rejects(createEncryption(inputs(), settings), {
            message:
                /^ACK kept refusing to change Secret encryption on cluster c1 for \d+s \(HTTP 409: a change is allowed 5 minutes after the last one finished\): try again later\. CS UpdateKMSEncryption failed: ErrClusterStateConflict: /,
        });
        assert.equal(cs.clusters.get("c1")!.encryptionDisabled, true);
    });

    it("explains ForbiddenUpdateKMSState with the roles the caller needs", async () => {
        cs.addCluster({ clusterId: "c1", forbiddenFor: [credentials.accessKeyId] });
        kms.seedKey({ keyId: "key-1" });
        await assert.rejects(createEncryption(inputs(), fast), {
            message:
                /^ACK refused to change Secret encryption on cluster c1 \(ForbiddenUpdateKMSState\): the caller needs the cluster's RBAC administrator or O&M \(ops\) role \(ACK console > Authorizations\) and the AliyunKMSCryptoAdminAccess policy \(or equivalent KMS permissions\)\. CS UpdateKMSEncryption failed: ForbiddenUpdateKMSState: /,
        });
    });

    it("refuses a cluster that is not ACK Pro, before calling UpdateKMSEncryption", async () => {
        cs.addCluster({ clusterId: "c1", clusterSpec: "", clusterType: "Kubernetes" });
        kms.seedKey({ keyId: "key-1" });
        await assert.rejects(createEncryption(inputs(), fast), {
            message:
                '[clusterId] "c1" cannot take Secret encryption: it is not an ACK Pro cluster (cluster_spec ""): Secret encryption with KMS needs ack.pro.*.',
        });
        assert.equal(cs.calls.filter((c) => c.action === "UpdateKMSEncryption").length, 0);
    });

    it("refuses a cluster that is not running", async () => {
        cs.addCluster({ clusterId: "c1", state: "failed" });
        kms.seedKey({ keyId: "key-1" });
        await assert.rejects(createEncryption(inputs(), fast), {
            message:
                '[clusterId] "c1" cannot take Secret encryption: its state is "failed", not "running".',
        });
    });

    it("refuses a disabled key with the shared key checks' words", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1", keyState: "Disabled" });
        await assert.rejects(createEncryption(inputs(), fast), {
            message:
                '[keyId] "key-1" in cn-hangzhou cannot encrypt Kubernetes Secrets: its state is "Disabled": it must be "Enabled".',
        });
        assert.equal(cs.calls.filter((c) => c.action === "UpdateKMSEncryption").length, 0);
    });

    it("names a cluster that does not exist", async () => {
        kms.seedKey({ keyId: "key-1" });
        await assert.rejects(createEncryption(inputs({ clusterId: "c404" }), fast), {
            message:
                /^\[clusterId\] "c404" was not found in cn-hangzhou: check the id and that the credentials' account owns it\. CS DescribeClusterDetail failed: ErrorClusterNotFound: /,
        });
    });

    it("writes inputs the program gave as secrets as [secret] in its errors", async () => {
        kms.seedKey({ keyId: "key-secret-404" });
        await assert.rejects(
            createEncryption(
                inputs({ clusterId: "c404secret", secretInputs: ["clusterId", "keyId"] }),
                fast,
            ),
            (error: Error) => {
                assert.match(
                    error.message,
                    /^\[clusterId\] "\[secret\]" was not found in cn-hangzhou: check the id and that the credentials' account owns it\. CS DescribeClusterDetail failed: ErrorClusterNotFound: /,
                );
                assert.ok(!error.message.includes("c404secret"), error.message);
                assert.ok(!String(error.stack).includes("c404secret"), "the stack names it");
                return true;
            },
        );
    });

    it("writes inputs the program gave as secrets as [secret] in its log", async () => {
        cs.addCluster({ clusterId: "csecret1" });
        kms.seedKey({ keyId: "key-1" });
        await createEncryption(
            inputs({ clusterId: "csecret1", secretInputs: ["clusterId"] }),
            fast,
        );
        assert.ok(
            logs.some((l) => l.includes("Cluster [secret] is running: Secret encryption to be on")),
            logs.join("\n"),
        );
        assert.ok(!logs.some((l) => l.includes("csecret1")), logs.join("\n"));
    });

    it("names a key that is not in the region", async () => {
        cs.addCluster({ clusterId: "c1" });
        await assert.rejects(createEncryption(inputs({ keyId: "key-missing" }), fast), {
            message:
                /^\[keyId\] "key-missing" was not found in cn-hangzhou: the key must exist in the cluster's region\. KMS DescribeKey failed: Forbidden\.KeyNotFound: /,
        });
    });

    it("fails with the variables to set when credentials are missing", async () => {
        delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
        delete process.env.ALICLOUD_ACCESS_KEY;
        await assert.rejects(createEncryption(inputs(), fast), {
            message:
                /^No Alibaba Cloud credentials in the environment: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/,
        });
    });

    it("gives up waiting for running after the wait timeout", async () => {
        await cs.close();
        cs = await startCsEmulator({ credentials: [credentials], updateDurationMs: 60_000 });
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        const settings = { ...fast, timing: { ...fast.timing, waitTimeoutMs: 200 } };
        await assert.rejects(createEncryption(inputs(), settings), {
            message:
                /^Cluster c1 is still "updating" after \d+s waiting for Secret encryption to be on: it may still finish; check the ACK console, then run the update again\.$/,
        });
    });

    it("moves encryption to another key on update and warns to keep the old key", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        kms.seedKey({ keyId: "key-2" });
        const created = await createEncryption(inputs(), fast);
        cs.markChangeFinished("c1", 0);
        const updated = await updateEncryption(
            "c1",
            created.outs,
            inputs({ keyId: "key-2" }),
            fast,
        );
        assert.equal(updated.outs!.kmsKeyId, "key-2");
        assert.equal(cs.clusters.get("c1")!.encryptionKeyId, "key-2");
        assert.ok(
            logs.some((l) => l.includes("keep key-1 enabled until every Secret is rewritten")),
        );
    });

    it("leaves encryption on when deleted, unless disableOnDelete", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        const created = await createEncryption(inputs(), fast);
        await deleteEncryption("c1", created.outs, fast);
        assert.equal(cs.clusters.get("c1")!.encryptionDisabled, false);
        assert.ok(
            logs.some((l) =>
                l.includes("Secret encryption stays on for cluster c1 (set disableOnDelete: true"),
            ),
        );

        cs.markChangeFinished("c1", 0);
        const disabling: ExistingClusterEncryptionOutputs = {
            ...created.outs,
            disableOnDelete: true,
        };
        await deleteEncryption("c1", disabling, fast);
        const cluster = cs.clusters.get("c1")!;
        assert.deepEqual([cluster.encryptionDisabled, cluster.state], [true, "running"]);
        assert.deepEqual(cs.calls.filter((c) => c.action === "UpdateKMSEncryption").at(-1)?.body, {
            disable_encryption: true,
        });
    });

    it("never turns off encryption that was on before the resource, even with disableOnDelete", async () => {
        cs.addCluster({ clusterId: "c1", encryptionKeyId: "key-1", encryptionDisabled: false });
        kms.seedKey({ keyId: "key-1" });
        const created = await createEncryption(inputs({ disableOnDelete: true }), fast);
        await deleteEncryption("c1", created.outs, fast);
        assert.equal(cs.clusters.get("c1")!.encryptionDisabled, false);
    });

    it("deletes quietly when the cluster is already gone", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        const created = await createEncryption(inputs({ disableOnDelete: true }), fast);
        cs.clusters.delete("c1");
        await deleteEncryption("c1", created.outs, fast);
    });

    it("notices on refresh that encryption was turned off outside the stack, and turns it back on", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        const created = await createEncryption(inputs(), fast);
        const cluster = cs.clusters.get("c1")!;
        cluster.encryptionDisabled = true;
        cluster.encryptionKeyId = undefined;
        cs.markChangeFinished("c1", 0);

        const refreshed = await readEncryption("c1", created.outs, fast);
        assert.equal(refreshed.id, "c1");
        assert.equal(refreshed.props!.encryptedWithKey, false);
        const diff = await diffEncryption("c1", refreshed.props!, inputs());
        assert.deepEqual([diff.changes, diff.replaces], [true, []]);

        const updated = await updateEncryption("c1", refreshed.props!, inputs(), fast);
        assert.equal(updated.outs!.encryptedWithKey, true);
        assert.deepEqual([cluster.encryptionDisabled, cluster.encryptionKeyId], [false, "key-1"]);
    });

    it("reports no change when a refresh finds encryption as the stack left it", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        const created = await createEncryption(inputs(), fast);
        const refreshed = await readEncryption("c1", created.outs, fast);
        assert.equal(refreshed.props!.encryptedWithKey, true);
        assert.equal((await diffEncryption("c1", refreshed.props!, inputs())).changes, false);
    });

    it("drops the resource on refresh when the cluster is gone", async () => {
        cs.addCluster({ clusterId: "c1" });
        kms.seedKey({ keyId: "key-1" });
        const created = await createEncryption(inputs(), fast);
        cs.clusters.delete("c1");
        assert.deepEqual(await readEncryption("c1", created.outs, fast), { id: "" });
    });

    it("replaces the resource for another cluster and moves the key in place", async () => {
        const olds = {
            ...inputs(),
            kmsKeyId: "key-1",
            keyArn: "arn",
            encryptionWasAlreadyOn: false,
            encryptedWithKey: true,
        };
        assert.deepEqual((await diffEncryption("c1", olds, inputs({ clusterId: "c2" }))).replaces, [
            "clusterId",
        ]);
        const moved = await diffEncryption("c1", olds, inputs({ keyId: "key-2" }));
        assert.deepEqual([moved.changes, moved.replaces], [true, []]);
    });
});
