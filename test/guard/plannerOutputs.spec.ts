// `ack-kms plan --mode update` answers a new guard with mock outputs (offline/program/outputs.ts):
// they must be what the real provider's create returns, key for key, or stack policies judge a
// state no deployment writes. Compared against a create run on the KMS emulator.

import * as assert from "assert";
import {
    formatHolders,
    holderEntry,
    isHolderToken,
} from "../../components/keyDeletionGuard/holders";
import { KeyDeletionGuardInputs } from "../../components/keyDeletionGuard/inputs";
import { mockResource } from "../../offline/program/outputs";
import { resourceTypes } from "../../policy/facts";
import { KmsEmulator, startKmsEmulator } from "../support/kmsEmulator";
import { guardInputs, guardProvider, testAccessKey, useCredentialEnvironment } from "./harness";

const urn =
    "urn:pulumi:dev::app::ack-kms:index:KeyDeletionGuard$pulumi-nodejs:dynamic:Resource::prod-deletion-protection";

describe("KeyDeletionGuard planner outputs", () => {
    let emulator: KmsEmulator;
    let restoreEnvironment: () => void;
    const provider = guardProvider();

    before(async () => {
        emulator = await startKmsEmulator({ accessKeys: [testAccessKey] });
    });
    after(async () => {
        await emulator.stop();
    });
    beforeEach(() => {
        restoreEnvironment = useCredentialEnvironment({
            ALIBABA_CLOUD_ACCESS_KEY_ID: testAccessKey.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: testAccessKey.accessKeySecret,
        });
    });
    afterEach(() => restoreEnvironment());

    function mock(inputs: KeyDeletionGuardInputs, resourceUrn = urn) {
        // As the planner sees them: the registered inputs, with the serialized provider.
        return mockResource(
            resourceTypes.dynamicResource,
            "prod-deletion-protection",
            resourceUrn,
            { ...inputs, __provider: "exports.handler = ..." },
            { region: emulator.regionId, accountId: emulator.accountId },
        );
    }

    const cases: [string, (keyId: string) => Partial<KeyDeletionGuardInputs>][] = [
        ["the required inputs", () => ({})],
        [
            "every input, an ARN, the opt-in and secret inputs",
            (keyId) => ({
                keyId: emulator.arnOf(keyId),
                releaseProtectionOnDelete: true,
                secretInputs: ["boundTo"],
            }),
        ],
    ];
    for (const [what, overrides] of cases) {
        it(`has exactly the outputs a create on an unprotected key returns, given ${what}`, async () => {
            const keyId = emulator.seedKey();
            const inputs = guardInputs(emulator, keyId, overrides(keyId));
            const created = await provider.create(inputs);
            const mocked = mock(inputs);

            const { __provider, ...outputs } = mocked.outputs;
            assert.strictEqual(__provider, "exports.handler = ...");
            assert.deepStrictEqual(Object.keys(outputs).sort(), Object.keys(created.outs).sort());
            assert.strictEqual(mocked.id, created.id);
            // Equal but for the holder token, which create draws at random.
            const token = outputs.holderToken as string;
            assert.deepStrictEqual(outputs, {
                ...created.outs,
                holderToken: token,
                protectionDescription: created.outs.protectionDescription.replace(
                    created.outs.holderToken!,
                    token,
                ),
            });
        });
    }

    it("derives the holder token from the URN, so two plans of one program agree", () => {
        const inputs = guardInputs(emulator, "key-hzz6plan");
        const first = mock(inputs).outputs;
        const again = mock(inputs).outputs;
        const other = mock(inputs, urn.replace("::prod-", "::dr-")).outputs;

        assert.deepStrictEqual(first, again);
        assert.ok(isHolderToken(first.holderToken), String(first.holderToken));
        assert.notStrictEqual(other.holderToken, first.holderToken);
        assert.strictEqual(
            first.protectionDescription,
            formatHolders([holderEntry(first.holderToken as string, "prod-cluster")]),
        );
    });
});
