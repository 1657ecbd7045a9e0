import * as assert from "assert";
import { encryptedClusterArgs, keyArgs, plainArgs } from "../../provider/construct/translate";

describe("provider: the multi-language shapes become the TypeScript args", () => {
    it("turns securityRole.mode unmanaged into securityRole: false", () => {
        assert.strictEqual(
            encryptedClusterArgs({ securityRole: { mode: "unmanaged" } }).securityRole,
            false,
        );
    });

    it("passes the other security role modes through for the component to judge", () => {
        assert.deepStrictEqual(
            encryptedClusterArgs({ securityRole: { mode: "existing" } }).securityRole,
            {
                mode: "existing",
            },
        );
        assert.deepStrictEqual(
            encryptedClusterArgs({ securityRole: { mode: "bogus" } }).securityRole,
            {
                mode: "bogus",
            },
        );
    });

    it("refuses a role description with mode unmanaged", () => {
        assert.throws(
            () => encryptedClusterArgs({ securityRole: { mode: "unmanaged", description: "x" } }),
            {
                message:
                    '[securityRole.description] "x" is not allowed with securityRole.mode "unmanaged": no role is created.',
            },
        );
    });

    it("turns key.disableAutomaticRotation into rotationInterval: false", () => {
        assert.deepStrictEqual(
            encryptedClusterArgs({ key: { disableAutomaticRotation: true } }).key,
            {
                rotationInterval: false,
            },
        );
        assert.deepStrictEqual(
            encryptedClusterArgs({
                key: { disableAutomaticRotation: false, rotationInterval: "90d" },
            }).key,
            { rotationInterval: "90d" },
        );
    });

    it("refuses a rotation interval together with disableAutomaticRotation", () => {
        assert.throws(
            () => keyArgs("key.", { disableAutomaticRotation: true, rotationInterval: "90d" }),
            {
                message:
                    '[key.rotationInterval] "90d" is not allowed with key.disableAutomaticRotation: set one of them.',
            },
        );
    });

    it("refuses a disableAutomaticRotation that is not a boolean, naming it", () => {
        assert.throws(() => keyArgs("", { disableAutomaticRotation: "yes" }), {
            message: '[disableAutomaticRotation] "yes" is not valid: use true or false.',
        });
    });

    it("turns an empty reencryptOnRotation into true and keeps options as they are", () => {
        assert.strictEqual(
            encryptedClusterArgs({ reencryptOnRotation: {} }).reencryptOnRotation,
            true,
        );
        assert.deepStrictEqual(
            encryptedClusterArgs({ reencryptOnRotation: { mode: "replace", image: null } })
                .reencryptOnRotation,
            { mode: "replace" },
        );
    });

    it("drops the null fields a foreign SDK sends, at the top and in nested args", () => {
        const args = encryptedClusterArgs({
            keyId: null,
            cluster: { name: "c", podCidr: null },
            denyEncryptionUpdates: { groups: ["ops"], users: null },
        });
        assert.deepStrictEqual(args, {
            cluster: { name: "c" },
            denyEncryptionUpdates: { groups: ["ops"] },
        });
        assert.deepStrictEqual(plainArgs({ keyId: "k", endpoint: null }), { keyId: "k" });
    });

    it("leaves a value that is not an object for the component to refuse", () => {
        assert.strictEqual(encryptedClusterArgs({ key: "nope" }).key, "nope");
    });
});
