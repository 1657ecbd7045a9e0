// protectKeys takes what the shared key id verdict (policy/verdicts/keyId.ts) takes, with no
// whitespace or wildcard: an ARN whose key id part is no key id is refused like a bad key id.
import * as assert from "assert";
import { protectKeyProblem } from "../../components/denyKmsEncryptionUpdates";

describe("protectKeys and the shared key id verdict", () => {
    for (const key of [
        "key-hzz62f1c3b2d6y4mdp1xx",
        "acs:kms:cn-hangzhou:123456789:key/key-hzz62f1c3b2d6y4mdp1xx",
    ]) {
        it(`takes ${key}`, () => {
            assert.strictEqual(protectKeyProblem(key), undefined);
        });
    }
    for (const key of [
        "acs:kms:cn-hangzhou:123456789:key/not.a.key",
        `key-${"x".repeat(300)}`,
        "key 1",
        "key-*",
        "acs:kms:*:123456789:key/key-1",
        42,
    ]) {
        it(`refuses ${JSON.stringify(key).slice(0, 60)}`, () => {
            assert.match(
                protectKeyProblem(key) ?? "",
                /^\[protectKeys\] .* is not a KMS key id or ARN/,
            );
        });
    }
});
