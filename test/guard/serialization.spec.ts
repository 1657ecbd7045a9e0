// Pulumi stores a dynamic provider in the state as serialized JavaScript. These specs serialize the
// guard's provider the way @pulumi/pulumi 3.276's dynamic.Resource does, check that the text holds
// no credential and stays small, and load it back the way the dynamic provider host does.

import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    createKeyDeletionGuardProvider,
    providerModuleCandidates,
    providerPackageModule,
} from "../../components/keyDeletionGuard/provider";
import { operationsModuleCandidates } from "../../components/providers/serializedProvider";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import { createKmsClient, describeKey } from "../../cloud/kms";
import { KmsEmulator, startKmsEmulator } from "../support/kmsEmulator";
import { fastSettings, guardInputs, testAccessKey, useCredentialEnvironment } from "./harness";

/** The dynamic provider host's loader (`require-from-string`, a dependency of @pulumi/pulumi). */
function loadLikeTheProviderHost(text: string): pulumi.dynamic.ResourceProvider {
    // Resolved from @pulumi/pulumi, which depends on it; the project itself does not.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const requireFromString = require(
        require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }),
    ) as (code: string) => { handler: () => pulumi.dynamic.ResourceProvider };
    return requireFromString(text).handler();
}

/** What dynamic.Resource stores under `__provider`: serializeFunction(() => provider, { allowSecrets: true }). */
async function serializeLikeDynamicResource(provider: pulumi.dynamic.ResourceProvider) {
    return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

export const maxSerializedProviderBytes = 8 * 1024;

describe("KeyDeletionGuard provider serialization", () => {
    let emulator: KmsEmulator;
    let restoreEnvironment: () => void;
    const secret = testAccessKey.accessKeySecret;
    const token = "sts-token-Yb71-must-not-be-serialized";

    before(async () => {
        emulator = await startKmsEmulator({
            accessKeys: [{ ...testAccessKey, securityToken: token }],
        });
        restoreEnvironment = useCredentialEnvironment({
            ALIBABA_CLOUD_ACCESS_KEY_ID: testAccessKey.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret,
            ALIBABA_CLOUD_SECURITY_TOKEN: token,
        });
        // Load and use the cloud modules in this process first, so a closure reaching them would show.
        const client = createKmsClient({
            regionId: emulator.regionId,
            endpoint: emulator.endpoint,
            credentials: credentialsFromEnvironment(),
        });
        await describeKey(client, emulator.seedKey());
    });
    after(async () => {
        restoreEnvironment();
        await emulator.stop();
    });

    it("holds no credential, no SDK code and stays under 8 KiB", async () => {
        const provider = createKeyDeletionGuardProvider({
            moduleCandidates: providerModuleCandidates(),
        });
        const serialized = await serializeLikeDynamicResource(provider);

        assert.strictEqual(serialized.containsSecrets, false);
        for (const value of [secret, token, testAccessKey.accessKeyId]) {
            assert.ok(
                !serialized.text.includes(value),
                `the serialized provider contains ${value}`,
            );
        }
        assert.ok(
            !serialized.text.includes("doRequest"),
            "the serialized provider contains SDK code",
        );
        assert.ok(
            !serialized.text.includes("SetDeletionProtection"),
            "operations were captured by value",
        );
        const bytes = Buffer.byteLength(serialized.text);
        assert.ok(bytes < maxSerializedProviderBytes, `the serialized provider is ${bytes} bytes`);
        assert.ok(serialized.text.includes(JSON.stringify(providerPackageModule)));
    });

    it("works once loaded back as the dynamic provider host loads it", async () => {
        const serialized = await serializeLikeDynamicResource(
            createKeyDeletionGuardProvider(fastSettings),
        );
        const provider = loadLikeTheProviderHost(serialized.text);
        const keyId = emulator.seedKey();
        emulator.resetCalls();

        const created = await provider.create(
            guardInputs(emulator, keyId, { releaseProtectionOnDelete: true }),
        );
        assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        const read = await provider.read!(created.id, created.outs);
        assert.deepStrictEqual(read, { id: created.id, props: created.outs });
        await provider.delete!(created.id, created.outs);

        assert.strictEqual(emulator.key(keyId).deletionProtection, "Disabled");
        assert.deepStrictEqual(emulator.callCounts(), { DescribeKey: 4, SetDeletionProtection: 2 });
        assert.ok(emulator.calls.every((call) => call.parameters.SecurityToken === token));
    });

    it("says what to install when no candidate module can be loaded", async () => {
        const provider = createKeyDeletionGuardProvider({
            moduleCandidates: [
                "ack-kms-not-installed/provider",
                "/nonexistent/keyDeletionGuard/operations",
            ],
        });
        await assert.rejects(provider.create(guardInputs(emulator, "key-1")), {
            message:
                "KeyDeletionGuard cannot load its provider module (tried ack-kms-not-installed/provider, /nonexistent/keyDeletionGuard/operations): install ack-kms in the stack (npm install ack-kms), or run npm run build in an ack-kms checkout.",
        });
    });

    it("lists only the package path when installed, so no absolute path reaches the state", async () => {
        const installed =
            "/home/someone/stack/node_modules/ack-kms/lib/components/keyDeletionGuard";
        const candidates = operationsModuleCandidates(providerPackageModule, "operations", {
            dirname: installed,
            filename: path.join(installed, "provider.js"),
        });
        assert.deepStrictEqual(candidates, [providerPackageModule]);
        const serialized = await serializeLikeDynamicResource(
            createKeyDeletionGuardProvider({ moduleCandidates: candidates }),
        );
        assert.ok(!serialized.text.includes("/home/someone"));
        assert.ok(!serialized.text.includes(path.resolve(__dirname, "..", "..")));
    });

    it("lists the package path, this source file and its compiled twin under lib/, relative to the program", () => {
        const root = path.resolve(__dirname, "..", "..");
        assert.strictEqual(process.cwd(), root);
        assert.deepStrictEqual(providerModuleCandidates(), [
            "ack-kms/lib/components/keyDeletionGuard/operations",
            "./components/keyDeletionGuard/operations",
            "./lib/components/keyDeletionGuard/operations",
        ]);
    });

    it("names a package path that resolves to the built operations module", () => {
        assert.strictEqual(
            require.resolve(providerPackageModule),
            path.resolve(__dirname, "../../lib/components/keyDeletionGuard/operations.js"),
        );
    });
});
