import * as assert from "assert";
import {
    isProClusterSpec,
    keyTypeOf,
    parseRotationInterval,
    ramActionMatches,
    rotationLimits,
    updateKmsEncryptionAction,
} from "../../policy/facts";

describe("facts", () => {
    describe("isProClusterSpec", () => {
        it("counts every ack.pro.* spec as Pro", () => {
            for (const spec of ["ack.pro.small", "ack.pro.xlarge", "ack.pro.8xlarge"]) {
                assert.strictEqual(isProClusterSpec(spec), true, spec);
            }
        });
        it("does not count ack.standard or a look-alike as Pro", () => {
            for (const spec of ["ack.standard", "ack.pro", "ACK.PRO.small", "xack.pro.small"]) {
                assert.strictEqual(isProClusterSpec(spec), false, spec);
            }
        });
    });

    describe("parseRotationInterval", () => {
        it("converts each unit to seconds", () => {
            assert.strictEqual(parseRotationInterval("365d"), 365 * 86400);
            assert.strictEqual(parseRotationInterval("24h"), 86400);
            assert.strictEqual(parseRotationInterval("10m"), 600);
            assert.strictEqual(parseRotationInterval("604800s"), 604800);
        });
        it("rejects other formats", () => {
            for (const bad of ["", "365", "d", "0d", "1.5d", "7 d", "7D", "-7d", "7w"]) {
                assert.strictEqual(parseRotationInterval(bad), undefined, bad);
            }
        });
    });

    describe("keyTypeOf", () => {
        it("tells default, software-in-instance and HSM keys apart", () => {
            assert.strictEqual(keyTypeOf(undefined, undefined), "default");
            assert.strictEqual(keyTypeOf("SOFTWARE", undefined), "default");
            assert.strictEqual(keyTypeOf("SOFTWARE", "kst-123"), "software");
            assert.strictEqual(keyTypeOf("HSM", "kst-123"), "hsm");
            assert.strictEqual(rotationLimits.hsm, undefined);
        });
    });

    describe("ramActionMatches", () => {
        it("matches the action by name, wildcard and letter case", () => {
            for (const pattern of [
                "cs:UpdateKMSEncryption",
                "cs:*",
                "*",
                "cs:Update*",
                "CS:updatekmsencryption",
                "cs:Update?MSEncryption",
                "*:*KMS*",
            ]) {
                assert.strictEqual(
                    ramActionMatches(pattern, updateKmsEncryptionAction),
                    true,
                    pattern,
                );
            }
        });
        it("does not match other actions or partial names", () => {
            for (const pattern of [
                "cs:UpdateKMS",
                "cs:Describe*",
                "ecs:*",
                "cs:UpdateKMSEncryption2",
                "cs:?",
                "kms:*",
                "cs.UpdateKMSEncryption",
            ]) {
                assert.strictEqual(
                    ramActionMatches(pattern, updateKmsEncryptionAction),
                    false,
                    pattern,
                );
            }
        });
    });
});
