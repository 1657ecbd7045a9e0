import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { setupMocks, valueOf } from "../support/mocks";
import {
    SecretsEncryptionKey,
    SecretsEncryptionKeyArgs,
    planKey,
    validateKeyArgs,
} from "../../components/secretsEncryptionKey";

const keyType = "alicloud:kms/key:Key";
const componentType = "ack-kms:index:SecretsEncryptionKey";

describe("SecretsEncryptionKey", () => {
    describe("children", () => {
        it("creates one Aliyun_AES_256 ENCRYPT/DECRYPT key with safe defaults, parented and protected", async () => {
            const run = await setupMocks();
            const key = new SecretsEncryptionKey("secrets", { boundTo: "ACK cluster prod" });
            await run.settle();

            assert.deepStrictEqual(
                run.resources.map((r) => [r.type, r.name]),
                [
                    [componentType, "secrets"],
                    [keyType, "secrets"],
                ],
            );
            const component = run.get(componentType, "secrets");
            const child = run.get(keyType, "secrets");
            assert.strictEqual(child.parent, component.urn);
            assert.strictEqual(child.protect, true);
            assert.deepStrictEqual(child.inputs, {
                keyUsage: "ENCRYPT/DECRYPT",
                keySpec: "Aliyun_AES_256",
                protectionLevel: "SOFTWARE",
                origin: "Aliyun_KMS",
                status: "Enabled",
                automaticRotation: "Enabled",
                rotationInterval: "365d",
                pendingWindowInDays: 30,
                deletionProtection: "Enabled",
                deletionProtectionDescription:
                    "Encrypts the Kubernetes Secrets of ACK cluster prod; deleting or disabling it makes them unreadable.",
                description: "Kubernetes Secret encryption key for ACK cluster prod",
            });
            assert.strictEqual(await valueOf(key.keyId), "secrets-id");
            assert.strictEqual(
                await valueOf(key.keyArn),
                "acs:kms:cn-hangzhou:1234567890123456:key/secrets-id",
            );
            assert.strictEqual(await valueOf(key.keyType), "default");
            assert.deepStrictEqual(run.warnings, []);
        });

        it("rotates a software key in a KMS instance at the requested interval", async () => {
            const run = await setupMocks();
            new SecretsEncryptionKey("k", {
                dkmsInstanceId: "kst-hzz123",
                rotationInterval: "7d",
                pendingWindowInDays: 7,
            });
            await run.settle();
            const child = run.get(keyType, "k");
            assert.strictEqual(child.inputs.dkmsInstanceId, "kst-hzz123");
            assert.strictEqual(child.inputs.automaticRotation, "Enabled");
            assert.strictEqual(child.inputs.rotationInterval, "7d");
            assert.strictEqual(child.inputs.pendingWindowInDays, 7);
        });

        it("leaves rotation off for an HSM key without warning", async () => {
            const run = await setupMocks();
            const key = new SecretsEncryptionKey("hsm", {
                protectionLevel: "HSM",
                dkmsInstanceId: "kst-hsm",
            });
            await run.settle();
            const child = run.get(keyType, "hsm");
            assert.strictEqual(child.inputs.protectionLevel, "HSM");
            assert.strictEqual(child.inputs.automaticRotation, "Disabled");
            assert.strictEqual(child.inputs.rotationInterval, undefined);
            assert.strictEqual(await valueOf(key.keyType), "hsm");
            assert.deepStrictEqual(run.warnings, []);
        });

        it("turns rotation off with a warning when rotationInterval is false", async () => {
            const run = await setupMocks();
            new SecretsEncryptionKey("norotate", { rotationInterval: false });
            await run.settle();
            const child = run.get(keyType, "norotate");
            assert.strictEqual(child.inputs.automaticRotation, "Disabled");
            assert.strictEqual("rotationInterval" in child.inputs, false);
            assert.deepStrictEqual(run.warnings, [
                '[rotationInterval] false turns automatic rotation off for "norotate": the key material never changes; rotate at least every 365d.',
            ]);
        });

        it("drops protect only when args.protect is false, with a warning", async () => {
            const run = await setupMocks();
            new SecretsEncryptionKey("unprotected", { protect: false });
            await run.settle();
            assert.strictEqual(run.get(keyType, "unprotected").protect, false);
            assert.deepStrictEqual(run.warnings, [
                '[protect] false lets `pulumi destroy` schedule the deletion of key "unprotected": a cluster bound to it loses its Secrets when the key is gone.',
            ]);
        });

        it("keeps the key protected even when the component itself is protect: false", async () => {
            const run = await setupMocks();
            new SecretsEncryptionKey("k", {}, { protect: false });
            await run.settle();
            assert.strictEqual(run.get(componentType, "k").protect, false);
            assert.strictEqual(run.get(keyType, "k").protect, true);
        });

        it("passes description, tags and an Output boundTo through", async () => {
            const run = await setupMocks();
            new SecretsEncryptionKey("k", {
                boundTo: pulumi.output("cluster c-1"),
                description: "custom",
                tags: { team: "platform" },
            });
            await run.settle();
            const child = run.get(keyType, "k");
            assert.strictEqual(child.inputs.description, "custom");
            assert.deepStrictEqual(child.inputs.tags, { team: "platform" });
            assert.strictEqual(
                child.inputs.deletionProtectionDescription,
                "Encrypts the Kubernetes Secrets of cluster c-1; deleting or disabling it makes them unreadable.",
            );
        });

        it("leaves the key id and ARN unknown in preview", async () => {
            const run = await setupMocks({ preview: true });
            const key = new SecretsEncryptionKey("k", {});
            await run.settle();
            assert.strictEqual(await valueOf(key.keyId), undefined);
            assert.strictEqual(await valueOf(key.keyArn), undefined);
            assert.strictEqual(run.get(keyType, "k").inputs.keySpec, "Aliyun_AES_256");
        });
    });

    describe("validateKeyArgs", () => {
        const bad: Array<[string, SecretsEncryptionKeyArgs, string]> = [
            [
                "an asymmetric key spec",
                { keySpec: "RSA_2048" },
                '[keySpec] "RSA_2048" is not supported: ACK\'s UpdateKMSEncryption accepts only Aliyun_AES_256.',
            ],
            [
                "another symmetric spec",
                { keySpec: "Aliyun_SM4" },
                '[keySpec] "Aliyun_SM4" is not supported: ACK\'s UpdateKMSEncryption accepts only Aliyun_AES_256.',
            ],
            [
                "a lower-case protection level",
                { protectionLevel: "hsm" as any },
                '[protectionLevel] "hsm" is not valid: use SOFTWARE or HSM.',
            ],
            [
                "a rotation interval on an HSM key",
                { protectionLevel: "HSM", rotationInterval: "30d" },
                '[rotationInterval] "30d" is not allowed: HSM keys cannot rotate automatically; omit rotationInterval or set it to false.',
            ],
            [
                "a default key rotating faster than 365d",
                { rotationInterval: "30d" },
                '[rotationInterval] "30d" is out of range: default keys (no dkmsInstanceId) rotate only every 365d.',
            ],
            [
                "a default key rotating slower than 365d",
                { rotationInterval: "366d" },
                '[rotationInterval] "366d" is out of range: default keys (no dkmsInstanceId) rotate only every 365d.',
            ],
            [
                "a software key rotating too slowly",
                { dkmsInstanceId: "kst-1", rotationInterval: "900d" },
                '[rotationInterval] "900d" is out of range: software keys in a KMS instance rotate every 7d to 365d.',
            ],
            [
                "a software key rotating too fast, in hours",
                { dkmsInstanceId: "kst-1", rotationInterval: "167h" },
                '[rotationInterval] "167h" is out of range: software keys in a KMS instance rotate every 7d to 365d.',
            ],
            [
                "an interval in years",
                { rotationInterval: "1y" },
                '[rotationInterval] "1y" is not a valid interval: use a whole number followed by d, h, m or s, e.g. "365d".',
            ],
            [
                "an interval with a leading zero",
                { rotationInterval: "0365d" },
                '[rotationInterval] "0365d" is not a valid interval: use a whole number followed by d, h, m or s, e.g. "365d".',
            ],
            [
                "a number as interval",
                { rotationInterval: 365 as any },
                '[rotationInterval] 365 is not valid: use a string such as "365d", or false.',
            ],
            [
                "a pending window below 7 days",
                { pendingWindowInDays: 6 },
                "[pendingWindowInDays] 6 is out of range: use a whole number of days from 7 to 366.",
            ],
            [
                "a pending window above 366 days",
                { pendingWindowInDays: 367 },
                "[pendingWindowInDays] 367 is out of range: use a whole number of days from 7 to 366.",
            ],
            [
                "a fractional pending window",
                { pendingWindowInDays: 7.5 },
                "[pendingWindowInDays] 7.5 is out of range: use a whole number of days from 7 to 366.",
            ],
            [
                "a string as protect",
                { protect: "no" as any },
                '[protect] "no" is not valid: use true or false.',
            ],
        ];
        for (const [what, args, message] of bad) {
            it(`rejects ${what}`, () => {
                assert.deepStrictEqual(validateKeyArgs(args), [message]);
            });
        }

        it("rejects bad args in the constructor before registering anything", async () => {
            const run = await setupMocks();
            assert.throws(() => new SecretsEncryptionKey("k", { keySpec: "EC_P256" }), {
                message:
                    '[keySpec] "EC_P256" is not supported: ACK\'s UpdateKMSEncryption accepts only Aliyun_AES_256.',
            });
            await run.settle();
            assert.deepStrictEqual(run.resources, []);
        });

        it("accepts the limits of each key type", () => {
            const accepted = (args: SecretsEncryptionKeyArgs) => {
                assert.deepStrictEqual(validateKeyArgs(args), []);
                return planKey(args);
            };
            assert.strictEqual(accepted({ rotationInterval: "365d" }).rotationInterval, "365d");
            assert.strictEqual(
                accepted({ rotationInterval: "31536000s" }).rotationInterval,
                "31536000s",
            );
            const software = accepted({ dkmsInstanceId: "kst-1", rotationInterval: "168h" });
            assert.strictEqual(software.keyType, "software");
            assert.strictEqual(software.rotationInterval, "168h");
            assert.strictEqual(accepted({ pendingWindowInDays: 366 }).pendingWindowInDays, 366);
            assert.strictEqual(accepted({ protectionLevel: "HSM" }).rotationInterval, undefined);
        });
    });
});
