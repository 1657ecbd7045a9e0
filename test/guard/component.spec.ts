// KeyDeletionGuard as a component, under the Pulumi SDK's mocks: what it registers, with which
// inputs (the marker policies look for, no credential anywhere) and which outputs it exposes.

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { keyDeletionGuardKind, resourceTypes } from "../../policy/facts";
import { testAccessKey, useCredentialEnvironment } from "./harness";

interface Registration {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

const registrations: Registration[] = [];

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

describe("KeyDeletionGuard component", () => {
    let component: typeof import("../../components/keyDeletionGuard");
    let restoreEnvironment: () => void;

    before(async () => {
        restoreEnvironment = useCredentialEnvironment({
            ALIBABA_CLOUD_ACCESS_KEY_ID: testAccessKey.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: testAccessKey.accessKeySecret,
            ALIBABA_CLOUD_SECURITY_TOKEN: "sts-token-component-spec",
        });
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
                    if (args.type === resourceTypes.dynamicResource) {
                        // A secret input reaches the mocks wrapped: { <secret sig>, value }.
                        const given = args.inputs.keyId;
                        const keyId = String(
                            typeof given === "object" && given !== null ? given.value : given,
                        ).replace(/^.*key\//, "");
                        const keyArn = `acs:kms:${args.inputs.regionId}:1234567890123456:key/${keyId}`;
                        return {
                            id: keyArn,
                            state: {
                                ...args.inputs,
                                kmsKeyId: keyId,
                                keyArn,
                                protectionWasAlreadyOn: false,
                            },
                        };
                    }
                    return { id: `${args.name}-id`, state: args.inputs };
                },
                call: () => ({}),
            },
            "ack-kms-guard",
            "test",
            false,
        );
        component = await import("../../components/keyDeletionGuard");
    });
    after(() => restoreEnvironment());
    beforeEach(() => {
        registrations.length = 0;
    });

    it("registers the component and one dynamic resource carrying the guard's marker", async () => {
        const guard = new component.KeyDeletionGuard("prod", {
            keyId: "key-hzz6abc",
            regionId: "cn-hangzhou",
            boundTo: pulumi.output("prod-cluster"),
        });
        await valueOf(guard.keyArn);

        assert.deepStrictEqual(
            registrations.map((r) => [r.type, r.name]),
            [
                ["ack-kms:index:KeyDeletionGuard", "prod"],
                [resourceTypes.dynamicResource, "prod-deletion-protection"],
            ],
        );
        const { __provider, ...inputs } = registrations[1].inputs;
        assert.deepStrictEqual(inputs, {
            kind: keyDeletionGuardKind,
            keyId: "key-hzz6abc",
            regionId: "cn-hangzhou",
            boundTo: "prod-cluster",
        });
        assert.strictEqual(typeof __provider, "string");
        assert.strictEqual(
            component.KeyDeletionGuard.__pulumiType,
            "ack-kms:index:KeyDeletionGuard",
        );
    });

    it("exposes the key id, ARN and prior protection from the dynamic resource", async () => {
        const guard = new component.KeyDeletionGuard("arn", {
            keyId: "acs:kms:cn-shanghai:1234567890123456:key/key-sh1",
            regionId: "cn-shanghai",
            boundTo: "shanghai-cluster",
        });
        assert.strictEqual(await valueOf(guard.keyId), "key-sh1");
        assert.strictEqual(
            await valueOf(guard.keyArn),
            "acs:kms:cn-shanghai:1234567890123456:key/key-sh1",
        );
        assert.strictEqual(await valueOf(guard.protectionWasAlreadyOn), false);
    });

    it("passes an endpoint override only when given", async () => {
        const guard = new component.KeyDeletionGuard("vpc", {
            keyId: "key-1",
            regionId: "cn-hangzhou",
            boundTo: "c",
            endpoint: "kms-vpc.cn-hangzhou.aliyuncs.com",
        });
        await valueOf(guard.keyArn);
        assert.strictEqual(registrations[1].inputs.endpoint, "kms-vpc.cn-hangzhou.aliyuncs.com");
    });

    it("puts no credential into any input, the serialized provider included", async () => {
        const guard = new component.KeyDeletionGuard("secrets", {
            keyId: "key-1",
            regionId: "cn-hangzhou",
            boundTo: "c",
        });
        await valueOf(guard.keyArn);
        const everything = JSON.stringify(registrations);
        for (const value of [
            testAccessKey.accessKeySecret,
            testAccessKey.accessKeyId,
            "sts-token-component-spec",
        ]) {
            assert.ok(!everything.includes(value), `a registration contains ${value}`);
        }
        const providerText = registrations[1].inputs.__provider as string;
        assert.ok(
            Buffer.byteLength(providerText) < 8 * 1024,
            `__provider is ${providerText.length} bytes`,
        );
    });

    it("rejects plain bad args at construction, naming each argument", () => {
        assert.throws(
            () =>
                new component.KeyDeletionGuard("bad", {
                    keyId: "acs:kms:cn-beijing:1:key/key-1",
                    regionId: "cn-hangzhou",
                    boundTo: "",
                }),
            {
                message:
                    '[keyId] "acs:kms:cn-beijing:1:key/key-1" is a key in cn-beijing, but [regionId] is "cn-hangzhou": the key and the cluster must be in the same region. [boundTo] "" is empty: name what the key protects, such as the cluster name.',
            },
        );
        assert.strictEqual(registrations.length, 0);
    });

    it("rejects a bad value arriving as an Output with a ResourceError", async () => {
        const guard = new component.KeyDeletionGuard("late", {
            keyId: "key-1",
            regionId: pulumi.output("Hangzhou"),
            boundTo: "c",
        });
        await assert.rejects(valueOf(guard.keyArn), (error: Error) => {
            assert.ok(pulumi.ResourceError.isInstance(error));
            assert.strictEqual(
                error.message,
                // The SDK names the first input that carried the failed check.
                'error serializing property "regionId": [regionId] "Hangzhou" is not a region id: give one such as cn-hangzhou.',
            );
            return true;
        });
    });

    it("passes releaseProtectionOnDelete only when given, as a plain boolean", async () => {
        const optedIn = new component.KeyDeletionGuard("opt-in", {
            keyId: "key-1",
            regionId: "cn-hangzhou",
            boundTo: "c",
            releaseProtectionOnDelete: true,
        });
        await valueOf(optedIn.keyArn);
        assert.strictEqual(registrations[1].inputs.releaseProtectionOnDelete, true);
        const byDefault = new component.KeyDeletionGuard("default", {
            keyId: "key-1",
            regionId: "cn-hangzhou",
            boundTo: "c",
        });
        await valueOf(byDefault.keyArn);
        assert.ok(!("releaseProtectionOnDelete" in registrations[3].inputs));
    });

    it("rejects a releaseProtectionOnDelete that is not a boolean at construction", () => {
        assert.throws(
            () =>
                new component.KeyDeletionGuard("bad-opt-in", {
                    keyId: "key-1",
                    regionId: "cn-hangzhou",
                    boundTo: "c",
                    releaseProtectionOnDelete: "true" as unknown as boolean,
                }),
            {
                message:
                    '[releaseProtectionOnDelete] "true" is not a boolean: use true or false (a plain value).',
            },
        );
    });

    it("refuses an argument name it does not take, suggesting the closest one", () => {
        assert.throws(
            () =>
                new component.KeyDeletionGuard("typo", {
                    keyId: "key-1",
                    regionId: "cn-hangzhou",
                    boundTo: "c",
                    releaseProtectionOnDeletes: true,
                } as never),
            {
                message:
                    "[releaseProtectionOnDeletes] is not an argument of KeyDeletionGuard: did you mean releaseProtectionOnDelete? use keyId, regionId, boundTo, endpoint, releaseProtectionOnDelete.",
            },
        );
        assert.strictEqual(registrations.length, 0);
    });

    it("refuses args that are not an object of arguments", () => {
        for (const [args, shown] of [
            [null, "null"],
            [undefined, "undefined"],
            ["key-1", '"key-1"'],
            [["key-1"], '["key-1"]'],
            [pulumi.output({ keyId: "key-1" }), "an Output"],
        ] as const) {
            assert.throws(() => new component.KeyDeletionGuard("not-args", args as never), {
                message: `[args] ${shown} is not valid: KeyDeletionGuard takes an object of arguments.`,
            });
        }
        assert.strictEqual(registrations.length, 0);
    });

    it("refuses values of the wrong type with the argument, the value and what is allowed, never a TypeError", () => {
        const cases: [Record<string, unknown>, string][] = [
            [
                { keyId: null },
                "[keyId] null is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).",
            ],
            [
                { regionId: BigInt(1) },
                "[regionId] 1n (a BigInt) is not a region id: give one such as cn-hangzhou.",
            ],
            [
                { boundTo: NaN },
                "[boundTo] NaN is not a string: name what the key protects, such as the cluster name.",
            ],
            [
                { boundTo: { name: "prod" } },
                "[boundTo] an object with name is not a string: name what the key protects, such as the cluster name.",
            ],
            [
                { endpoint: 443 },
                "[endpoint] 443 is not an endpoint: give a host name or an http(s) URL as a string.",
            ],
            [
                { releaseProtectionOnDelete: BigInt(1) },
                "[releaseProtectionOnDelete] 1n (a BigInt) is not a boolean: use true or false (a plain value).",
            ],
            [
                { releaseProtectionOnDelete: pulumi.output(true) },
                "[releaseProtectionOnDelete] an Output is not allowed: releaseProtectionOnDelete must be a plain value, not an Output; use true or false.",
            ],
        ];
        for (const [bad, message] of cases) {
            assert.throws(
                () =>
                    new component.KeyDeletionGuard("wrong-type", {
                        keyId: "key-1",
                        regionId: "cn-hangzhou",
                        boundTo: "c",
                        ...bad,
                    } as never),
                (error: Error) => {
                    assert.ok(!(error instanceof TypeError), error.stack);
                    assert.strictEqual(error.message, message);
                    return true;
                },
            );
        }
    });

    it("tells the provider which inputs were secrets, and nothing when none were", async () => {
        const secret = new component.KeyDeletionGuard("secret", {
            keyId: pulumi.secret("key-1"),
            regionId: pulumi.output("cn-hangzhou"),
            boundTo: pulumi.secret("prod-cluster"),
        });
        const plain = new component.KeyDeletionGuard("plain", {
            keyId: "key-1",
            regionId: "cn-hangzhou",
            boundTo: "c",
        });
        await Promise.all([valueOf(secret.keyArn), valueOf(plain.keyArn)]);
        const inputsOf = (name: string) => registrations.find((r) => r.name === name)!.inputs;
        assert.deepStrictEqual(inputsOf("secret-deletion-protection").secretInputs, [
            "keyId",
            "boundTo",
        ]);
        assert.ok(!("secretInputs" in inputsOf("plain-deletion-protection")));
    });

    it("keeps the key's id and ARN secret when the keyId given was a secret, and only then", async () => {
        const secret = new component.KeyDeletionGuard("secret-key", {
            keyId: pulumi.secret("key-1"),
            regionId: "cn-hangzhou",
            boundTo: "c",
        });
        const plain = new component.KeyDeletionGuard("plain-key", {
            keyId: "key-1",
            regionId: "cn-hangzhou",
            boundTo: pulumi.secret("c"),
        });
        assert.strictEqual(await valueOf(secret.keyId), "key-1");
        assert.deepStrictEqual(
            await Promise.all([
                pulumi.isSecret(secret.keyId),
                pulumi.isSecret(secret.keyArn),
                pulumi.isSecret(plain.keyId),
                pulumi.isSecret(plain.keyArn),
            ]),
            [true, true, false, false],
        );
    });

    it("refuses a secret boundTo that is too long without quoting any of it", async () => {
        const guard = new component.KeyDeletionGuard("long-secret", {
            keyId: "key-1",
            regionId: "cn-hangzhou",
            boundTo: pulumi.secret(`s3cr3t-${"x".repeat(130)}`),
        });
        await assert.rejects(valueOf(guard.keyArn), (error: Error) => {
            assert.strictEqual(
                error.message,
                'error serializing property "boundTo": [boundTo] [secret] is 137 characters long: at most 128 are allowed.',
            );
            return true;
        });
    });

    it("validates args that are not an object through the exported function, without a TypeError", () => {
        assert.deepStrictEqual(component.validateKeyDeletionGuardArgs(null as never), [
            "[args] null is not valid: KeyDeletionGuard takes an object of arguments.",
        ]);
    });

    it("validates args directly through the exported function", () => {
        assert.deepStrictEqual(
            component.validateKeyDeletionGuardArgs({
                keyId: "key-1",
                regionId: "cn-hangzhou",
                boundTo: "x".repeat(129),
            }),
            [
                '[boundTo] "xxxxxxxxxxxxxxxxxxxx..." is 129 characters long: at most 128 are allowed.',
            ],
        );
    });
});
