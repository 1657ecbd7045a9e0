// A keyId given as a secret key ARN: ExistingClusterEncryption keeps the bare key id inside it out
// of its errors and log too (the rule KeyDeletionGuard follows, providers/inputChecks
// secretInputTexts), and keeps its keyId and keyArn outputs secret. The provider's own errors and
// log with such a key are in existingClusterEncryption.spec.ts, beside the other provider cases.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { redactInputs } from "../../components/existingClusterEncryption/inputs";
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
