// A keyId given as a secret key ARN: ExistingClusterEncryption keeps the bare key id inside it out
// of its errors and log too (the rule KeyDeletionGuard follows, providers/inputChecks
// secretInputTexts), and keeps its keyId and keyArn outputs secret.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { createEncryption } from "../../components/existingClusterEncryption/operations";
import {
    ExistingClusterEncryptionInputs,
    redactInputs,
} from "../../components/existingClusterEncryption/inputs";
import { ExistingClusterEncryptionProviderSettings } from "../../components/existingClusterEncryption/settings";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";
import { KmsEmulator } from "../support/kmsEmulator";
import { isSecret, MockRun, setupMocks } from "../support/mocks";

const bareId = "key-hzzs3cr3t0000000000001";
const arn = `acs:kms:cn-hangzhou:1234567890:key/${bareId}`;

describe("ExistingClusterEncryption with a secret key ARN", () => {
    it("redactInputs writes the bare key id of a secret key ARN as [secret]", () => {
        assert.equal(
            redactInputs(
                { keyId: arn, secretInputs: ["keyId"] },
                `key ${arn}, also named ${bareId}, "${bareId}"`,
            ),
            'key [secret], also named [secret], "[secret]"',
        );
        assert.equal(redactInputs({ keyId: arn }, `key ${bareId}`), `key ${bareId}`);
    });

    describe("provider", () => {
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
        let cs: CsEmulator;
        let kms: KmsEmulator;
        let logs: string[];
        const savedEnv = { ...process.env };
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

        function inputs(keyId: string): ExistingClusterEncryptionInputs {
            return {
                kind: "ack-kms:ExistingClusterEncryption",
                clusterId: "c1",
                keyId,
                regionId: "cn-hangzhou",
                disableOnDelete: false,
                csEndpoint: cs.url,
                kmsEndpoint: kms.endpoint,
                secretInputs: ["keyId"],
            };
        }

        it("names neither the ARN nor its key id in an error", async () => {
            cs.addCluster({ clusterId: "c1" });
            await assert.rejects(createEncryption(inputs(arn), fast), (error: Error) => {
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
            const result = await createEncryption(inputs(kms.arnOf(keyId)), fast);
            assert.ok(result.outs);
            assert.ok(logs.length > 0);
            for (const line of logs) {
                assert.ok(!line.includes(bareId), line);
            }
        });
    });

    describe("component", () => {
        let run: MockRun;
        let mod: typeof import("../../components/existingClusterEncryption");
        beforeEach(async () => {
            run = await setupMocks();
            mod = await import("../../components/existingClusterEncryption");
        });

        it("keeps keyId and keyArn secret when the keyId given was", async () => {
            const secret = new mod.ExistingClusterEncryption("secret", {
                clusterId: "c0123456789abcdef",
                keyId: pulumi.secret(arn),
                regionId: "cn-hangzhou",
            });
            const plain = new mod.ExistingClusterEncryption("plain", {
                clusterId: "c0123456789abcdef",
                keyId: bareId,
                regionId: "cn-hangzhou",
            });
            await run.settle();
            assert.equal(await isSecret(secret.keyId), true);
            assert.equal(await isSecret(secret.keyArn), true);
            assert.equal(await isSecret(plain.keyId), false);
            assert.equal(await isSecret(plain.keyArn), false);
        });
    });
});
