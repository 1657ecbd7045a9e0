// The custom resources the ack-kms provider serves for programs in other languages: the provider's
// own check/create/read/update/delete over the KeyDeletionGuard operations, against the KMS
// emulator (real SDK, real HTTP, signatures checked); and the components registering them, with
// the alias from the dynamic type, only when running inside the provider.
import * as assert from "assert";
import { serveFromProvider } from "../../components/providers/servedByProvider";
import { secret } from "../../offline/engineValues";
import { AckKmsProvider } from "../../provider/provider";
import { typeOfUrn } from "../../provider/resources";
import { KmsEmulator, startKmsEmulator } from "../support/kmsEmulator";
import { setupMocks } from "../support/mocks";
import {
    guardInputs,
    rejectionOf,
    testAccessKey,
    useCredentialEnvironment,
} from "../guard/harness";

const guardUrn =
    "urn:pulumi:dev::py::pulumi:pulumi:Stack$ack-kms:index:KeyDeletionGuard$ack-kms:index:KeyDeletionGuardResource::g-deletion-protection";

describe("provider: KeyDeletionGuard's resource served as a custom resource", () => {
    let emulator: KmsEmulator;
    let restoreEnvironment: () => void;
    const provider = new AckKmsProvider();

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
        emulator.resetCalls();
    });
    afterEach(() => restoreEnvironment());

    it("reads the type from the last part of the URN's type chain", () => {
        assert.strictEqual(typeOfUrn(guardUrn), "ack-kms:index:KeyDeletionGuardResource");
    });

    it("checks, creates, reads and deletes through the guard's own operations", async () => {
        const keyId = emulator.seedKey();
        const inputs: Record<string, unknown> = { ...guardInputs(emulator, keyId) };
        const checked = await provider.check(guardUrn, {}, inputs);
        assert.deepStrictEqual(checked.failures, []);
        const created = await provider.create(guardUrn, checked.inputs);
        assert.strictEqual(created.id, emulator.arnOf(keyId));
        assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        const read = await provider.read(created.id, guardUrn, created.outs);
        assert.strictEqual(read.id, created.id);
        assert.strictEqual((read.props as Record<string, unknown>).kmsKeyId, keyId);
        await provider.delete(created.id, guardUrn, created.outs);
        // Deleting a guard leaves protection on unless it was asked to release it.
        assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        assert.deepStrictEqual(emulator.calls.map((call) => call.action).slice(0, 3), [
            "DescribeKey",
            "SetDeletionProtection",
            "DescribeKey",
        ]);
    });

    it("takes secret inputs wrapped, as the provider server hands them over, and keeps them secret", async () => {
        const keyId = emulator.seedKey();
        const inputs: Record<string, unknown> = {
            ...guardInputs(emulator, keyId),
            keyId: secret(keyId),
        };
        const checked = await provider.check(guardUrn, {}, inputs);
        assert.deepStrictEqual(checked.failures, []);
        assert.deepStrictEqual(checked.inputs?.keyId, secret(keyId));
        const created = await provider.create(guardUrn, checked.inputs);
        assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        assert.deepStrictEqual(created.outs?.keyId, secret(keyId));
        const read = await provider.read(created.id, guardUrn, created.outs);
        assert.deepStrictEqual((read.props as Record<string, unknown>).keyId, secret(keyId));
        await provider.delete(created.id, guardUrn, created.outs);
    });

    it("fails the check of bad inputs with the guard's own message", async () => {
        const checked = await provider.check(
            guardUrn,
            {},
            {
                ...guardInputs(emulator, emulator.seedKey()),
                regionId: "Hangzhou",
            },
        );
        assert.strictEqual(checked.failures?.length, 1);
        assert.match(String(checked.failures?.[0].reason), /^\[regionId\] "Hangzhou"/);
    });

    it("refuses a type it does not serve, naming the ones it does", async () => {
        const error = await rejectionOf(
            provider.create("urn:pulumi:dev::py::ack-kms:index:Nope::n", {}),
        );
        assert.strictEqual(
            error.message,
            'ack-kms: no custom resource "ack-kms:index:Nope"; this provider serves ack-kms:index:KeyDeletionGuardResource, ack-kms:index:ExistingClusterEncryptionResource.',
        );
    });
});

describe("components: served resources only inside the provider", () => {
    afterEach(() => serveFromProvider(false));

    async function guardRegistrations() {
        const run = await setupMocks({ preview: true });
        const { KeyDeletionGuard } = await import("../../components/keyDeletionGuard");
        new KeyDeletionGuard("g", { keyId: "key-1", regionId: "cn-hangzhou", boundTo: "prod" });
        await run.settle();
        return run.resources.filter((r) => r.custom);
    }

    it("registers the dynamic resource in a TypeScript program", async () => {
        const [guard] = await guardRegistrations();
        assert.strictEqual(guard.type, "pulumi-nodejs:dynamic:Resource");
    });

    it("registers the provider's own type inside the provider, with the same inputs", async () => {
        const [dynamic] = await guardRegistrations();
        serveFromProvider();
        const [served] = await guardRegistrations();
        assert.strictEqual(served.type, "ack-kms:index:KeyDeletionGuardResource");
        const { __provider, ...dynamicInputs } = dynamic.inputs;
        assert.ok(__provider, "the dynamic resource carries its serialized provider");
        assert.deepStrictEqual(served.inputs, dynamicInputs);
    });

    it("registers ExistingClusterEncryption's served type with the timings as an input", async () => {
        serveFromProvider();
        const run = await setupMocks({ preview: true });
        const { ExistingClusterEncryption } =
            await import("../../components/existingClusterEncryption");
        new ExistingClusterEncryption("e", {
            clusterId: "c0123456789abcdef0123456789abcdef",
            keyId: "key-1",
            regionId: "cn-hangzhou",
            pollIntervalSeconds: 5,
        });
        await run.settle();
        const [served] = run.resources.filter((r) => r.custom);
        assert.strictEqual(served.type, "ack-kms:index:ExistingClusterEncryptionResource");
        assert.deepStrictEqual(served.inputs.providerTiming, { pollIntervalMs: 5000 });
        assert.strictEqual(served.inputs.__provider, undefined);
    });
});
