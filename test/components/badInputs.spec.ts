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
