// In preview, a guard on a key the stack creates gets the key's id as an unknown: its other inputs
// must stay known (and free of the key's dependency), so policies can still check the region.
import { strict as assert } from "assert";
import { resourceTypes } from "../../policy/facts";
import { setupMocks } from "../support/mocks";

const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("KeyDeletionGuard component in preview", () => {
    it("keeps plain inputs known when the key id is not known yet", async () => {
        const run = await setupMocks({ preview: true });
        const keys = await import("../../components/secretsEncryptionKey");
        const guards = await import("../../components/keyDeletionGuard");
        const key = new keys.SecretsEncryptionKey("secrets", { boundTo: "ACK cluster prod" });
        new guards.KeyDeletionGuard("guard", {
            keyId: key.keyId,
            regionId: "cn-hangzhou",
            boundTo: "ACK cluster prod",
        });
        await run.settle();
        const [guard] = run.ofType(resourceTypes.dynamicResource);
        const keyUrn = run.get(resourceTypes.kmsKey, "secrets").urn;
        assert.equal(guard.rawInputs.keyId, unknownSentinel);
        assert.equal(guard.rawInputs.regionId, "cn-hangzhou");
        assert.equal(guard.rawInputs.boundTo, "ACK cluster prod");
        assert.deepEqual(guard.propertyDependencies.keyId, [keyUrn]);
        assert.deepEqual(guard.propertyDependencies.regionId ?? [], []);
        assert.deepEqual(guard.propertyDependencies.boundTo ?? [], []);
    });
});
