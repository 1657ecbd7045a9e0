// What the components refuse or warn about instead of letting a weakening or a crash through:
// unknown argument names, wrong shapes, values that turn a protection off, Outputs where a plain
// value is needed, and secrets, which no message shows.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { rejectionMessage, setupMocks } from "../support/mocks";
import { describeValue, redactingSecrets } from "../../components/validation";
import { SecretsEncryptionKey, validateKeyArgs } from "../../components/secretsEncryptionKey";
import { EncryptedCluster } from "../../components/encryptedCluster";
import { validateClusterArgs } from "../../components/encryptedCluster/argsValidation";
import { DenyKmsEncryptionUpdates } from "../../components/denyKmsEncryptionUpdates";
import { validateSecurityRoleArgs } from "../../components/clusterSecurityRole";
import { ExistingClusterEncryption } from "../../components/existingClusterEncryption";

const secret = "s3cr3t-key-id with spaces";
const cluster = { name: "prod" };

describe("fail closed: inputs", () => {
    describe("the value formatter", () => {
        it("quotes strings and cuts long ones after 140 characters, giving the length", () => {
            assert.strictEqual(describeValue("a"), '"a"');
            assert.strictEqual(
                describeValue("x".repeat(100_000)),
                `"${"x".repeat(140)}"... (100000 characters)`,
            );
        });

        it("names null, undefined, NaN, Infinity and BigInt values", () => {
            assert.deepStrictEqual([null, undefined, NaN, Infinity, BigInt(7)].map(describeValue), [
                "null",
                "undefined",
                "NaN",
                "Infinity",
                "7n (a BigInt)",
            ]);
        });

        it("describes lists, objects, functions and Outputs without reading them", () => {
            assert.strictEqual(describeValue(["a", 1]), '["a",1]');
            assert.strictEqual(describeValue([{}, {}]), "a list of 2 items");
            assert.strictEqual(
                describeValue({ users: [], roles: [] }),
                "an object with users, roles",
            );
            assert.strictEqual(
                describeValue(() => 1),
                "a function",
            );
            assert.strictEqual(describeValue(pulumi.output("x")), "an Output");
        });

        it("renders a secret value as [secret], also where a check quotes it by hand", () => {
            const message = redactingSecrets(
                [secret],
                () => `[keyId] ${describeValue(secret)} is bad; we said "${secret}".`,
            );
            assert.strictEqual(message, '[keyId] [secret] is bad; we said "[secret]".');
        });
    });

    describe("argument names and shapes", () => {
        it("refuses an unknown argument name, suggesting the closest and listing the allowed", () => {
            assert.deepStrictEqual(
                validateClusterArgs({
                    cluster,
                    key: {},
                    denyEncryptionUpdate: { roles: ["ops"] },
                } as never),
                [
                    "[denyEncryptionUpdate] is not an argument of EncryptedCluster: did you mean denyEncryptionUpdates? use cluster, serverless, key, keyId, securityRole, denyEncryptionUpdates, guardKey, regionId, reencryptOnRotation.",
                ],
            );
        });

        it("refuses an unknown name inside nested args, naming it from the outer component", () => {
            assert.deepStrictEqual(
                validateClusterArgs({ cluster, key: { rotation: "30d" } } as never),
                [
                    "[key.rotation] is not an argument of SecretsEncryptionKey: use keySpec, protectionLevel, dkmsInstanceId, rotationInterval, pendingWindowInDays, boundTo, description, tags, protect.",
                ],
            );
        });

        it("refuses args that are not an object", () => {
            assert.deepStrictEqual(validateKeyArgs(null as never), [
                "[args] null is not valid: SecretsEncryptionKey takes an object of arguments.",
            ]);
        });

        it("refuses a string where a list of principals is expected", () => {
            assert.deepStrictEqual(
                validateClusterArgs({
                    cluster,
                    key: {},
                    denyEncryptionUpdates: { roles: "ops" },
                } as never),
                ['[denyEncryptionUpdates.roles] "ops" is not valid: use a list of RAM names.'],
            );
        });

        it("says a plain-only argument must be a plain value, not an Output", () => {
            assert.deepStrictEqual(
                validateKeyArgs({ rotationInterval: pulumi.output("30d") } as never),
                [
                    '[rotationInterval] an Output is not allowed: rotationInterval must be a plain value, not an Output; use a string such as "365d", or false.',
                ],
            );
        });

        it("refuses a description for a role that is only looked up", () => {
            assert.deepStrictEqual(
                validateSecurityRoleArgs({ mode: "existing", description: "x" }),
                [
                    '[description] is not allowed with mode "existing": the role is only looked up, not created; remove description.',
                ],
            );
        });
    });

    describe("weakenings", () => {
        it("refuses an empty dkmsInstanceId, which would make a default key accept a 7d rotation", () => {
            assert.deepStrictEqual(
                validateKeyArgs({ dkmsInstanceId: "", rotationInterval: "7d" }),
                [
                    '[dkmsInstanceId] "" is not a KMS instance id: use one such as "kst-hzz6...", or omit dkmsInstanceId for a default key.',
                ],
            );
        });

        it("refuses a null dkmsInstanceId", () => {
            assert.deepStrictEqual(validateKeyArgs({ dkmsInstanceId: null } as never), [
                '[dkmsInstanceId] null is not a KMS instance id: use one such as "kst-hzz6...", or omit dkmsInstanceId for a default key.',
            ]);
        });

        it("fails the deployment when dkmsInstanceId resolves to an empty string", async () => {
            await setupMocks();
            const key = new SecretsEncryptionKey("k", { dkmsInstanceId: pulumi.output("") });
            assert.strictEqual(
                await rejectionMessage((key.keyId as any).promise()),
                '[dkmsInstanceId] "" is not a KMS instance id: use one such as "kst-hzz6...", or omit dkmsInstanceId for a default key.',
            );
        });

        it("refuses an empty description and a 100,000-character one, briefly", () => {
            assert.deepStrictEqual(validateKeyArgs({ description: " " }), [
                '[description] " " is empty: omit description for the default, or give a string of 1 to 8192 characters.',
            ]);
            assert.deepStrictEqual(validateKeyArgs({ description: "d".repeat(100_000) }), [
                `[description] "${"d".repeat(140)}"... (100000 characters) is too long: use at most 8192 characters.`,
            ]);
        });

        it('warns about deletionProtection given as the string "false", as for false', async () => {
            const run = await setupMocks();
            new EncryptedCluster("c", {
                cluster: { ...cluster, deletionProtection: "false" as never },
                key: {},
            });
            await run.settle();
            assert.deepStrictEqual(run.warnings, [
                '[cluster.deletionProtection] false lets cluster "c" be deleted through the API or console with all its Secrets.',
            ]);
            const [managed] = run.ofType("alicloud:cs/managedKubernetes:ManagedKubernetes");
            assert.strictEqual(managed.inputs.deletionProtection, false);
        });

        it("warns about deletionProtection given as an Output that resolves to false", async () => {
            const run = await setupMocks();
            new EncryptedCluster("c", {
                cluster: { ...cluster, deletionProtection: pulumi.output(false) },
                key: {},
            });
            await run.settle();
            assert.deepStrictEqual(run.warnings, [
                '[cluster.deletionProtection] false lets cluster "c" be deleted through the API or console with all its Secrets.',
            ]);
        });

        it("refuses deletionProtection of another type", () => {
            assert.deepStrictEqual(
                validateClusterArgs({
                    cluster: { ...cluster, deletionProtection: 0 as never },
                    key: {},
                }),
                [
                    "[cluster.deletionProtection] 0 is not valid: use true or false; omit it for true.",
                ],
            );
        });

        it("fails the deployment when a principal resolves to an empty string", async () => {
            await setupMocks();
            const deny = new DenyKmsEncryptionUpdates("d", { roles: [pulumi.output("")] });
            const attachment = deny.attachments[0] as unknown as {
                roleName: pulumi.Output<string>;
            };
            assert.strictEqual(
                await rejectionMessage((attachment.roleName as any).promise()),
                '[roles] "" is not a RAM name: use a non-empty name without spaces.',
            );
        });
    });

    describe("secrets", () => {
        it("shows a secret Output's bad value as [secret] when the deployment fails", async () => {
            await setupMocks();
            const enc = new ExistingClusterEncryption("e", {
                clusterId: "c0123456789abcdef",
                keyId: pulumi.secret(secret),
                regionId: "cn-hangzhou",
            });
            assert.strictEqual(
                await rejectionMessage((enc.encryption.keyId as any).promise()),
                "[keyId] [secret] is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).",
            );
        });

        it("shows a secret Output of a list as [secret] in each item's message", async () => {
            await setupMocks();
            const deny = new DenyKmsEncryptionUpdates("d", {
                roles: ["ops"],
                clusterIds: [pulumi.secret(secret)],
            });
            assert.strictEqual(
                await rejectionMessage((deny.policyDocument as any).promise()),
                '[clusterIds] [secret] is not a cluster id: use ids such as "c0123456789abcdef".',
            );
        });

        it("never reads a secret Output given where a plain value is needed", () => {
            assert.deepStrictEqual(validateKeyArgs({ protect: pulumi.secret(false) } as never), [
                "[protect] an Output is not allowed: protect must be a plain value, not an Output; use true or false.",
            ]);
        });
    });
});
