// redactingSecrets takes secret texts out of a message by the providers' shared rule
// (components/providers/redaction.ts), longest first: with a key id and its ARN both secret, the
// ARN goes whole, not as `acs:kms:<region>:<account>:key/[secret]`.
import * as assert from "assert";
import { redactingSecrets, secretText } from "../../components/validation";
import { secretText as providersSecretText } from "../../components/providers/redaction";

describe("redactingSecrets", () => {
    const keyId = "key-hzz62f1c3b2d6y4mdp1xx";
    const arn = `acs:kms:cn-hangzhou:123456789:key/${keyId}`;

    it("writes a secret as the providers do", () => {
        assert.strictEqual(secretText, providersSecretText);
    });

    it("takes an ARN out whole when its key id is secret too, whatever the order", () => {
        for (const values of [
            [keyId, arn],
            [arn, keyId],
        ]) {
            assert.strictEqual(
                redactingSecrets(values, () => `the key ${arn} and ${keyId} are gone`),
                "the key [secret] and [secret] are gone",
            );
        }
    });
});
