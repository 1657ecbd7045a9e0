// Throws every class of bad value at every public input of every component and checks that each
// fails closed: no TypeError (an error is a `[arg] ...` message), no "Calling [toJSON]" text, no
// flood from a 100,000-character value, and a secret's text in no thrown message, rejected Output
// or `pulumi.log` line. Each case is classified (error / warning / accepted); the tally is printed
// and the classes that must never be accepted are asserted.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MockRun, setupMocks } from "../support/mocks";

const secretText = "s3cr3t Sentinel 7f3a";

type Outcome = "error" | "warning" | "accepted";

interface BadValue {
    name: string;
    make: () => unknown;
    /** Outcomes allowed for this class; any other fails the case. Defaults to every outcome. */
    allowed?: Outcome[];
}

const badValues: BadValue[] = [
    { name: "null", make: () => null, allowed: ["error"] },
    { name: "undefined", make: () => undefined },
    { name: "a number", make: () => 42 },
    { name: "a boolean", make: () => true },
    { name: "NaN", make: () => NaN, allowed: ["error"] },
    { name: "Infinity", make: () => Infinity, allowed: ["error"] },
    { name: "a BigInt", make: () => BigInt(10), allowed: ["error"] },
    { name: "a string", make: () => "some-string" },
    { name: "a plain object", make: () => ({ urn: "not-a-resource" }), allowed: ["error"] },
    { name: "a list", make: () => ["item"] },
    { name: "an empty string", make: () => "" },
    { name: "a 100,000-character string", make: () => "x".repeat(100_000), allowed: ["error"] },
    { name: "an Output", make: () => pulumi.output("some-output") },
    { name: "a secret Output", make: () => pulumi.secret(secretText) },
    { name: "a secret Output of a list", make: () => pulumi.secret([secretText]) },
];

interface Target {
    component: string;
    /** Builds the component from args (under mocks). */
    build: (args: Record<string, unknown>) => Promise<pulumi.Resource>;
    base: () => Record<string, unknown>;
    /** Input paths, `a` or `a.b` for a nested one. */
    inputs: string[];
    /** `input = bad value name` pairs that are good values there, so may be accepted. */
    valid?: string[];
}

async function components() {
    const key = await import("../../components/secretsEncryptionKey");
    const role = await import("../../components/clusterSecurityRole");
    const deny = await import("../../components/denyKmsEncryptionUpdates");
    const cluster = await import("../../components/encryptedCluster");
    const existing = await import("../../components/existingClusterEncryption");
    const reencryption = await import("../../components/secretsReencryption");
    const guard = await import("../../components/keyDeletionGuard");
    const k8s = await import("@pulumi/kubernetes");
    const targets: Target[] = [
        {
            component: "SecretsEncryptionKey",
            build: async (args) => new key.SecretsEncryptionKey("k", args as any),
            base: () => ({}),
            inputs: [
                "keySpec",
                "protectionLevel",
                "dkmsInstanceId",
                "rotationInterval",
                "pendingWindowInDays",
                "boundTo",
                "description",
                "tags",
                "protect",
            ],
            // { urn: "..." } is a tag map with one tag.
            valid: ["tags = a plain object"],
        },
        {
            component: "ClusterSecurityRole",
            build: async (args) => new role.ClusterSecurityRole("r", args as any),
            base: () => ({}),
            inputs: ["mode", "description"],
        },
        {
            component: "DenyKmsEncryptionUpdates",
            build: async (args) => new deny.DenyKmsEncryptionUpdates("d", args as any),
            base: () => ({ roles: ["ops"] }),
            inputs: ["users", "roles", "groups", "clusterIds", "policyName", "description"],
        },
        {
            component: "EncryptedCluster",
            build: async (args) => new cluster.EncryptedCluster("c", args as any),
            base: () => ({
                cluster: { name: "prod", clusterSpec: "ack.pro.small" },
                key: {},
                denyEncryptionUpdates: { roles: ["ops"] },
            }),
            inputs: [
                "cluster",
                "serverless",
                "key",
                "securityRole",
                "denyEncryptionUpdates",
                "guardKey",
                "regionId",
                "reencryptOnRotation",
                "cluster.deletionProtection",
                "cluster.clusterSpec",
                "key.dkmsInstanceId",
                "key.description",
                "securityRole.mode",
                "denyEncryptionUpdates.roles",
                "denyEncryptionUpdates.policyName",
            ],
            // Cluster args are alicloud's: their names are the provider's to check.
            valid: ["cluster = a plain object"],
        },
        {
            component: "EncryptedCluster (keyId)",
            build: async (args) => new cluster.EncryptedCluster("c", args as any),
            base: () => ({
                cluster: { name: "prod" },
                keyId: "key-hzz123",
                regionId: "cn-hangzhou",
            }),
            inputs: ["keyId", "regionId", "guardKey"],
        },
        {
            component: "EncryptedCluster (reencryptOnRotation)",
            build: async (args) => new cluster.EncryptedCluster("c", args as any),
            base: () => ({
                serverless: { name: "prod" },
                key: {},
                reencryptOnRotation: { mode: "annotate" },
            }),
            inputs: [
                "reencryptOnRotation.mode",
                "reencryptOnRotation.namespaces",
                "reencryptOnRotation.image",
                "reencryptOnRotation.after",
                "reencryptOnRotation.timeoutMinutes",
            ],
        },
        {
            component: "ExistingClusterEncryption",
            build: async (args) => new existing.ExistingClusterEncryption("e", args as any),
            base: () => ({
                clusterId: "c0123456789abcdef",
                keyId: "key-hzz123",
                regionId: "cn-hangzhou",
            }),
            inputs: [
                "clusterId",
                "keyId",
                "regionId",
                "disableOnDelete",
                "csEndpoint",
                "kmsEndpoint",
                "pollIntervalSeconds",
                "conflictRetryMinutes",
                "waitTimeoutMinutes",
            ],
        },
        {
            component: "SecretsReencryption",
            build: async (args) => new reencryption.SecretsReencryption("s", args as any),
            base: () => ({
                provider: new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\n" }),
                rotationMarker: "v1",
            }),
            inputs: [
                "provider",
                "rotationMarker",
                "mode",
                "namespaces",
                "namespace",
                "image",
                "backoffLimit",
                "ttlSecondsAfterFinished",
                "timeoutMinutes",
            ],
        },
        {
            component: "KeyDeletionGuard",
            build: async (args) => new guard.KeyDeletionGuard("g", args as any),
            base: () => ({ keyId: "key-hzz123", regionId: "cn-hangzhou", boundTo: "ACK prod" }),
            inputs: ["keyId", "regionId", "boundTo", "endpoint", "releaseProtectionOnDelete"],
        },
    ];
    return targets;
}

function withValue(base: Record<string, unknown>, input: string, value: unknown) {
    const [outer, inner] = input.split(".");
    if (inner === undefined) {
        return { ...base, [outer]: value };
    }
    return { ...base, [outer]: { ...(base[outer] as object), [inner]: value } };
}

/** The Outputs a component exposes, read so that a failed check inside `apply` shows. */
async function outputFailures(resource: pulumi.Resource): Promise<string[]> {
    const failures: string[] = [];
    for (const value of Object.values(resource)) {
        if (pulumi.Output.isInstance(value)) {
            try {
                await (value as unknown as { promise(): Promise<unknown> }).promise();
            } catch (e) {
                failures.push(String((e as Error)?.message ?? e));
            }
        }
    }
    return failures;
}

interface CaseResult {
    outcome: Outcome;
    texts: string[];
    typeError?: string;
}

async function runCase(run: MockRun, target: Target, args: Record<string, unknown>) {
    const rejections: string[] = [];
    const onRejection = (reason: unknown) => {
        rejections.push(String((reason as Error)?.message ?? reason));
    };
    process.on("unhandledRejection", onRejection);
    const texts: string[] = [];
    let thrown: unknown;
    let resource: pulumi.Resource | undefined;
    try {
        resource = await target.build(args);
    } catch (e) {
        thrown = e;
    }
    try {
        await run.settle();
    } catch (e) {
        rejections.push(String((e as Error)?.message ?? e));
    }
    const failures = resource ? await outputFailures(resource) : [];
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
    const result: CaseResult = { outcome: "accepted", texts };
    if (thrown !== undefined) {
        const message = String((thrown as Error)?.message ?? thrown);
        texts.push(message);
        if (thrown instanceof TypeError || !/^\[.+?\] /.test(message)) {
            result.typeError = `${(thrown as Error)?.name}: ${message}`;
        }
    }
    const failed = [...rejections, ...failures, ...run.errors];
    texts.push(...failed, ...run.warnings);
    for (const text of failed) {
        const message = text.replace(/^(error serializing property "[^"]*": )+/, "");
        if (/TypeError|Cannot read|is not a function|is not iterable/.test(message)) {
            result.typeError = message;
        }
    }
    result.outcome =
        thrown !== undefined || failed.length > 0
            ? "error"
            : run.warnings.length > 0
              ? "warning"
              : "accepted";
    return result;
}

describe("every public input fails closed on bad values", function () {
    this.timeout(600_000);
    const tally: Record<string, Record<Outcome, number>> = {};
    let total = 0;

    after(() => {
        const lines = Object.entries(tally).map(
            ([value, counts]) =>
                `  ${value}: ${counts.error} error, ${counts.warning} warning, ${counts.accepted} accepted`,
        );
        console.log(`      ${total} bad-input cases\n${lines.map((l) => `    ${l}`).join("\n")}`);
    });

    it("refuses an argument name the component does not take, in every component", async () => {
        const refused: string[] = [];
        const expected: string[] = [];
        for (const target of await components()) {
            const component = target.component.split(" ")[0];
            expected.push(`[bogusArgument] is not an argument of ${component}`);
            await setupMocks();
            try {
                await target.build({ ...target.base(), bogusArgument: 1 });
                refused.push(`${target.component} accepted it`);
            } catch (e) {
                refused.push(String((e as Error).message).split(":")[0]);
            }
        }
        assert.deepStrictEqual(refused, expected);
    });

    it("never throws a TypeError, never leaks a secret, never floods, and refuses what must be refused", async () => {
        const problems: string[] = [];
        // Mocks are set once per target: a fresh run per case re-registers the same names.
        for (const target of await components()) {
            for (const input of target.inputs) {
                for (const bad of badValues) {
                    const run = await setupMocks();
                    const value = bad.make();
                    const args = withValue(target.base(), input, value);
                    const result = await runCase(run, target, args);
                    total++;
                    tally[bad.name] ??= { error: 0, warning: 0, accepted: 0 };
                    tally[bad.name][result.outcome]++;
                    const where = `${target.component} ${input} = ${bad.name}`;
                    if (result.typeError) {
                        problems.push(`${where}: ${result.typeError}`);
                    }
                    const valid = target.valid?.includes(`${input} = ${bad.name}`);
                    if (!valid && bad.allowed && !bad.allowed.includes(result.outcome)) {
                        problems.push(`${where}: ${result.outcome}`);
                    }
                    if (process.env.SHOW_BAD_INPUTS) {
                        console.log(`${where} -> ${result.outcome}: ${result.texts.join(" | ")}`);
                    }
                    for (const text of result.texts) {
                        if (text.includes(secretText) || text.includes("s3cr3t")) {
                            problems.push(`${where}: the secret is in "${text.slice(0, 300)}"`);
                        }
                        if (text.includes("Calling [toJSON]")) {
                            problems.push(
                                `${where}: quotes an Output's text: ${text.slice(0, 200)}`,
                            );
                        }
                        if (text.length > 2_000) {
                            problems.push(`${where}: a ${text.length}-character message`);
                        }
                    }
                }
            }
        }
        assert.deepStrictEqual(problems, []);
    });
});

describe("every component reports all its bad fields at once", () => {
    // One case per component that validates several fields: two bad fields, both in one error,
    // thrown before anything is registered.
    const cases: Array<{
        component: string;
        args: () => Promise<Record<string, unknown>>;
        problems: string[];
    }> = [
        {
            component: "SecretsEncryptionKey",
            args: async () => ({ keySpec: "RSA_2048", pendingWindowInDays: 3 }),
            problems: [
                '[keySpec] "RSA_2048" is not supported: ACK\'s UpdateKMSEncryption accepts only Aliyun_AES_256.',
                "[pendingWindowInDays] 3 is out of range: use a whole number of days from 7 to 366.",
            ],
        },
        {
            component: "ClusterSecurityRole",
            args: async () => ({ mode: "import", description: "" }),
            problems: [
                '[mode] "import" is not valid: use "create" or "existing".',
                '[description] "" is empty: omit description for the default, or give a string of 1 to 1024 characters.',
            ],
        },
        {
            component: "DenyKmsEncryptionUpdates",
            args: async () => ({ users: [""], clusterIds: [] }),
            problems: [
                '[users] "" is not a RAM name: use a non-empty name without spaces.',
                "[clusterIds] [] is empty: omit clusterIds to deny the action on every cluster, or list at least one id.",
            ],
        },
        {
            component: "EncryptedCluster",
            args: async () => ({
                cluster: { clusterSpec: "ack.standard" },
                key: { keySpec: "Aliyun_SM4" },
            }),
            problems: [
                '[cluster.clusterSpec] "ack.standard" is not allowed: Secret encryption with KMS needs ACK Pro; use an ack.pro.* spec such as ack.pro.small.',
                '[key.keySpec] "Aliyun_SM4" is not supported: ACK\'s UpdateKMSEncryption accepts only Aliyun_AES_256.',
            ],
        },
        {
            component: "EncryptedCluster (a name it does not take and a bad field)",
            args: async () => ({
                cluster: {},
                denyEncryptionUpdate: { roles: ["ops"] },
                reencryptOnRotation: { mode: "rotate" },
            }),
            problems: [
                "[denyEncryptionUpdate] is not an argument of EncryptedCluster: did you mean denyEncryptionUpdates? use cluster, serverless, key, keyId, securityRole, denyEncryptionUpdates, guardKey, regionId, reencryptOnRotation.",
                '[reencryptOnRotation.mode] "rotate" is not a mode: use "annotate" or "replace".',
            ],
        },
        {
            component: "KeyDeletionGuard",
            args: async () => ({ keyId: "key 1", regionId: "Hangzhou", boundTo: "ACK prod" }),
            problems: [
                '[keyId] "key 1" is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).',
                '[regionId] "Hangzhou" is not a region id: give one such as cn-hangzhou.',
            ],
        },
        {
            component: "ExistingClusterEncryption",
            args: async () => ({
                clusterId: "c 1",
                keyId: "key-hzz123",
                regionId: "cn-hangzhou",
                pollIntervalSeconds: 0,
            }),
            problems: [
                '[clusterId] "c 1" is not an ACK cluster id: give one such as c0123456789abcdef0123456789abcdef.',
                "[pollIntervalSeconds] 0 is out of range: use a number from 0.01 to 300.",
            ],
        },
        {
            component: "SecretsReencryption",
            args: async () => {
                const k8s = await import("@pulumi/kubernetes");
                return {
                    provider: new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\n" }),
                    rotationMarker: "v1",
                    mode: "rotate",
                    backoffLimit: 11,
                };
            },
            problems: [
                '[mode] "rotate" is not a mode: use "annotate" or "replace".',
                "[backoffLimit] 11 is out of range: use a whole number from 0 to 10.",
            ],
        },
    ];
    for (const { component, args, problems } of cases) {
        it(`${component}: both problems in one error, before anything is registered`, async () => {
            const run = await setupMocks();
            const target = (await components()).find(
                (t) => t.component === component.split(" (")[0],
            ) as Target;
            const given = await args();
            await run.settle();
            // SecretsReencryption's args hold a Kubernetes provider, registered already.
            const registered = run.resources.length;
            await assert.rejects(target.build(given), { message: problems.join(" ") });
            await run.settle();
            assert.strictEqual(run.resources.length, registered);
        });
    }
});
