// offline/analyzer/ against a fixture pack that reports what the protocol delivered.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    analyzeWithPack,
    PolicyPackError,
    PolicyPackProcess,
    PolicyResource,
    runPolicyPack,
    runPolicyPacks,
    secret,
    unknownSentinel,
} from "../../offline/analyzer";
import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { EngineLogEntry, EngineLogServer } from "../../offline/analyzer/engineLog";
import { durationSeconds } from "../../offline/analyzer/wire";

const fixtures = path.join(__dirname, "..", "fixtures");
const echoPack = path.join(fixtures, "policy-echo-pack");
const brokenPack = path.join(fixtures, "policy-broken-pack");

const stackUrn = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";
const providerUrn = "urn:pulumi:dev::demo::pulumi:providers:alicloud::default_3_108_0";

function bucket(overrides: Partial<PolicyResource> = {}): PolicyResource {
    return {
        urn: "urn:pulumi:dev::demo::alicloud:oss/bucket:Bucket::logs",
        type: "alicloud:oss/bucket:Bucket",
        name: "logs",
        custom: true,
        properties: {
            bucket: "logs",
            arn: unknownSentinel,
            password: secret("hunter2"),
            nested: { list: [1, "two", unknownSentinel], flag: true },
            __internal: "dropped",
        },
        parent: stackUrn,
        dependencies: [providerUrn],
        propertyDependencies: { bucket: [providerUrn], arn: [] },
        protect: true,
        ignoreChanges: ["tags"],
        deleteBeforeReplace: true,
        aliases: ["urn:pulumi:dev::demo::alicloud:oss/bucket:Bucket::old"],
        additionalSecretOutputs: ["bucket"],
        customTimeouts: { create: "10m", delete: "1h30m" },
        provider: {
            urn: providerUrn,
            type: "pulumi:providers:alicloud",
            name: "default_3_108_0",
            properties: { region: "cn-hangzhou", version: "3.108.0", __internal: 1 },
        },
        ...overrides,
    };
}

function messageOf(
    violations: Array<{ policyName: string; message: string }>,
    policy: string,
): any {
    const found = violations.find((v) => v.policyName === policy);
    assert.ok(found, `no violation from ${policy}`);
    const json = found.message.slice(found.message.indexOf("\n") + 1);
    return JSON.parse(json);
}

describe("offline/analyzer", function () {
    this.timeout(120_000);

    describe("a started pack", () => {
        let pack: PolicyPackProcess;
        before(async () => {
            pack = await PolicyPackProcess.start({
                packDir: echoPack,
                project: "demo",
                stack: "dev",
                organization: "acme",
                dryRun: true,
                stackConfig: { "alicloud:region": "cn-hangzhou", "demo:size": "3" },
                policyConfig: { "echo-resource": { limit: 7 } },
            });
            await pack.configure();
        });
        after(async () => {
            await pack.close();
        });

        it("reports the pack's metadata sorted by name, with PulumiPolicy.yaml's version", async () => {
            const info = await pack.getAnalyzerInfo();
            assert.strictEqual(info.name, "echo");
            assert.strictEqual(info.version, "2.3.4");
            assert.strictEqual(
                info.description,
                "Reports back what the analyzer protocol delivered, for the offline analyzer tests.",
            );
            assert.deepStrictEqual(
                info.policies.map((p) => [p.name, p.enforcementLevel]),
                [
                    ["echo-remediate", "remediate"],
                    ["echo-resource", "advisory"],
                    ["echo-stack", "mandatory"],
                ],
            );
        });

        it("injects enforcementLevel into every config schema, as the CLI does", async () => {
            const info = await pack.getAnalyzerInfo();
            const schema = info.policies.find((p) => p.name === "echo-resource")!.configSchema!;
            assert.deepStrictEqual(schema.properties.enforcementLevel, {
                type: "string",
                enum: ["advisory", "mandatory", "remediate", "disabled"],
            });
            assert.deepStrictEqual(schema.properties.limit, {
                type: "integer",
                minimum: 1,
                maximum: 10,
                default: 5,
            });
        });

        it("starts the pack with the language host's arguments, folder and environment", async () => {
            const { violations } = await analyzeWithPack(pack, [bucket()]);
            const seen = messageOf(violations, "echo-resource");
            assert.deepStrictEqual(seen.env, {
                organization: "acme",
                project: "demo",
                stack: "dev",
                dryRun: "true",
                config: JSON.stringify({ "alicloud:region": "cn-hangzhou", "demo:size": "3" }),
                typescript: "true",
                cwd: echoPack,
                argv: [],
            });
        });

        it("applies schema defaults, then the pack's initial config, then the user's", async () => {
            const { violations } = await analyzeWithPack(pack, [bucket()]);
            assert.deepStrictEqual(messageOf(violations, "echo-resource").config, {
                label: "from-initial-config",
                limit: 7,
            });
        });

        it("sends inputs with unknowns kept, secrets unwrapped and top-level __ keys dropped", async () => {
            const { violations } = await analyzeWithPack(pack, [
                bucket({ properties: { ...bucket().properties, skipRemediation: true } }),
            ]);
            const seen = messageOf(violations, "echo-resource");
            assert.deepStrictEqual(seen.props, {
                bucket: "logs",
                arn: unknownSentinel,
                password: "hunter2",
                nested: { list: [1, "two", unknownSentinel], flag: true },
                skipRemediation: true,
            });
        });

        it("sends resource options and the provider as the engine does", async () => {
            const { violations } = await analyzeWithPack(pack, [bucket()]);
            const seen = messageOf(violations, "echo-resource");
            assert.deepStrictEqual(seen.opts, {
                protect: true,
                ignoreChanges: ["tags"],
                aliases: ["urn:pulumi:dev::demo::alicloud:oss/bucket:Bucket::old"],
                customTimeouts: { createSeconds: 600, updateSeconds: 0, deleteSeconds: 5400 },
                additionalSecretOutputs: ["bucket"],
                deleteBeforeReplace: true,
                parent: stackUrn,
            });
            assert.deepStrictEqual(seen.provider, {
                urn: providerUrn,
                type: "pulumi:providers:alicloud",
                name: "default_3_108_0",
                props: { region: "cn-hangzhou", version: "3.108.0" },
            });
        });

        it("omits deleteBeforeReplace and the provider when the resource has none", async () => {
            const { violations } = await analyzeWithPack(pack, [
                bucket({ deleteBeforeReplace: undefined, provider: undefined, parent: undefined }),
            ]);
            const seen = messageOf(violations, "echo-resource");
            assert.strictEqual("deleteBeforeReplace" in seen.opts, false);
            assert.strictEqual("parent" in seen.opts, false);
            assert.strictEqual(seen.provider, null);
        });

        it("applies a remediation's properties before Analyze and AnalyzeStack", async () => {
            const result = await analyzeWithPack(pack, [bucket()]);
            assert.deepStrictEqual(
                result.remediations.map((r) => [r.policyName, r.urn, r.properties?.remediated]),
                [["echo-remediate", bucket().urn, true]],
            );
            // Remediate keeps internal keys and secrets as the engine sends them.
            assert.deepStrictEqual(result.remediations[0].properties!.password, secret("hunter2"));
            assert.strictEqual(result.remediations[0].properties!.__internal, "dropped");
            assert.strictEqual(
                messageOf(result.violations, "echo-resource").props.remediated,
                true,
            );
            assert.strictEqual(result.resources[0].properties.remediated, true);
            assert.strictEqual(
                messageOf(result.violations, "echo-stack")[0].props.remediated,
                true,
            );
        });

        it("gives AnalyzeStack outputs, parents, dependencies and non-empty property dependencies", async () => {
            const result = await analyzeWithPack(pack, [
                {
                    urn: stackUrn,
                    type: "pulumi:pulumi:Stack",
                    name: "demo-dev",
                    custom: false,
                    properties: {},
                    dependencies: [],
                    propertyDependencies: {},
                },
                bucket({
                    outputs: { bucket: "logs", arn: "acs:oss:*:*:logs", secretOut: secret("s") },
                    properties: { ...bucket().properties, skipRemediation: true },
                }),
            ]);
            const stack = messageOf(result.violations, "echo-stack");
            assert.deepStrictEqual(stack, [
                {
                    urn: stackUrn,
                    props: { remediated: true },
                    parent: null,
                    dependencies: [],
                    propertyDependencies: {},
                },
                {
                    urn: bucket().urn,
                    props: { bucket: "logs", arn: "acs:oss:*:*:logs", secretOut: "s" },
                    parent: stackUrn,
                    // The provider is not in the stack, so the SDK drops the references to it.
                    dependencies: [],
                    propertyDependencies: { bucket: [] },
                },
            ]);
            const stackViolation = result.violations.find((v) => v.policyName === "echo-stack")!;
            assert.strictEqual(stackViolation.enforcementLevel, "mandatory");
            assert.strictEqual(stackViolation.policyPackVersion, "2.3.4");
        });

        it("fails a response over 4 MiB, as the CLI's policy proxy does", async () => {
            const big = bucket({ outputs: { blob: "x".repeat(5 * 1024 * 1024) } });
            await assert.rejects(pack.analyzeStack([big]), (e: Error) => {
                assert.ok(e instanceof PolicyPackError);
                assert.match(
                    e.message,
                    /^policy pack ".*policy-echo-pack" failed in AnalyzeStack: Received message larger than max \(\d+ vs 4194304\)$/,
                );
                return true;
            });
        });

        it("collects the pack's log calls", async () => {
            pack.logs.length = 0;
            await analyzeWithPack(pack, [bucket()]);
            // The pack's output pipe and its gRPC answer are separate streams: give the pipe a moment.
            const wanted = `info: [runtime] analyzing ${bucket().urn}`;
            for (let i = 0; i < 50 && !pack.logs.some((l) => l.message === wanted); i++) {
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
            assert.deepStrictEqual(
                pack.logs.filter((l) => l.message === wanted),
                [{ severity: "info", message: wanted, source: "stdout" }],
            );
        });

        it("turns a level set in a later Configure into the level the policies run at", async () => {
            await pack.configure({ "echo-resource": "disabled" });
            const { violations } = await analyzeWithPack(pack, [bucket()]);
            assert.strictEqual(
                violations.some((v) => v.policyName === "echo-resource"),
                false,
            );
            await pack.configure();
        });

        it("starts every Configure from the pack's own levels: an earlier one does not leak into it", async () => {
            const levelOf = async (name: string) =>
                (await pack.getAnalyzerInfo()).policies.find((p) => p.name === name)
                    ?.enforcementLevel;
            const reported = async () =>
                (await analyzeWithPack(pack, [bucket()])).violations.some(
                    (v) => v.policyName === "echo-stack",
                );
            assert.strictEqual(await levelOf("echo-stack"), "mandatory");
            await pack.configure({ "echo-stack": "disabled" });
            assert.strictEqual(await levelOf("echo-stack"), "disabled");
            assert.strictEqual(await reported(), false);
            // Another policy's level only: echo-stack is back at its own level, in the pack too.
            await pack.configure({ "echo-remediate": "advisory" });
            assert.strictEqual(await levelOf("echo-stack"), "mandatory");
            assert.strictEqual(await reported(), true);
            await pack.configure({ "echo-stack": "disabled" });
            await pack.configure();
            assert.strictEqual(await levelOf("echo-stack"), "mandatory");
            assert.strictEqual(await reported(), true);
        });

        it("rejects config the policy's schema rejects, with the CLI's message", async () => {
            await assert.rejects(
                pack.configure({ "echo-resource": { limit: 11, label: 3 } }),
                (e: Error) => {
                    assert.ok(e instanceof PolicyPackError);
                    assert.strictEqual(
                        e.message,
                        [
                            "validating policy config: echo 2.3.4  echo-resource: label: Invalid type. Expected: string, given: integer",
                            "validating policy config: echo 2.3.4  echo-resource: limit: Must be less than or equal to 10",
                        ].join("\n"),
                    );
                    return true;
                },
            );
        });

        it("rejects an enforcement level that does not exist", async () => {
            await assert.rejects(
                pack.configure({ "echo-resource": "strict" }),
                new PolicyPackError(
                    'parsing enforcement level for "echo-resource": "strict" is not a valid enforcement level',
                ),
            );
        });

        it("applies an `all` level to every policy", async () => {
            const sent = await pack.configure({ all: "disabled" });
            assert.deepStrictEqual(
                Object.entries(sent).map(([name, c]) => [name, c.enforcementLevel]),
                [
                    ["echo-remediate", "disabled"],
                    ["echo-resource", "disabled"],
                    ["echo-stack", "disabled"],
                    ["all", "disabled"],
                ],
            );
            await pack.configure();
        });
    });

    describe("runPolicyPack", () => {
        it("runs the whole sequence and closes the pack", async () => {
            const result = await runPolicyPack(
                { packDir: echoPack, project: "demo", stack: "prod", dryRun: false },
                [bucket()],
            );
            assert.strictEqual(result.pack.name, "echo");
            assert.strictEqual(result.pack.version, "2.3.4");
            assert.deepStrictEqual(
                result.violations.map((v) => [v.policyName, v.enforcementLevel, v.urn]),
                [
                    ["echo-resource", "advisory", bucket().urn],
                    ["echo-stack", "mandatory", undefined],
                ],
            );
            const env = messageOf(result.violations, "echo-resource").env;
            assert.strictEqual(env.dryRun, "false");
            assert.strictEqual(env.config, undefined);
            assert.strictEqual(env.organization, undefined);
        });
    });

    describe("runPolicyPacks", () => {
        const slowPack = path.join(fixtures, "policy-slow-pack");
        const resources = Array.from({ length: 60 }, (_, i) =>
            bucket({
                urn: `urn:pulumi:dev::demo::alicloud:oss/bucket:Bucket::r-${i}`,
                name: `r-${i}`,
            }),
        );
        const run = (dryRun: boolean) =>
            runPolicyPacks(
                [{ packDir: slowPack, project: "demo", stack: "dev", dryRun }],
                resources,
            );
        const resourceMessages = (result: Awaited<ReturnType<typeof run>>) =>
            result.results[0].violations
                .filter((v) => v.policyName === "slow-resource")
                // The message is the description, then the violation's own text.
                .map((v) => `${v.message.split("\n").pop()} ${v.urn}`);
        const expected = resources.map((r) => `analyzed ${r.name} ${r.urn}`);

        it("in preview, keeps several resources in flight and reports them in registration order", async () => {
            // The pack answers the first resources last: a run that took answers as they came would
            // report them in reverse.
            const result = await run(true);
            assert.deepStrictEqual(resourceMessages(result), expected);
            const stack = result.results[0].violations.find((v) => v.policyName === "slow-stack");
            const most = Number(/most in flight: (\d+)/.exec(stack?.message ?? "")?.[1]);
            assert.ok(most > 1, `at most ${most} Analyze call(s) in flight`);
        });

        it("in update mode, where the engine may stop at a resource, sends one resource at a time", async () => {
            const result = await run(false);
            assert.deepStrictEqual(resourceMessages(result), expected);
            const stack = result.results[0].violations.find((v) => v.policyName === "slow-stack");
            assert.match(stack?.message ?? "", /most in flight: 1$/);
        });
    });

    describe("errors", () => {
        const options = { project: "demo", stack: "dev", dryRun: true };

        it("names a pack folder that does not exist", async () => {
            await assert.rejects(
                PolicyPackProcess.start({ ...options, packDir: path.join(fixtures, "nowhere") }),
                new PolicyPackError(
                    `[packDir] "${path.join(fixtures, "nowhere")}" does not exist or is not a folder.`,
                ),
            );
        });

        it("names a folder without PulumiPolicy.yaml", async () => {
            const dir = path.join(__dirname);
            await assert.rejects(
                PolicyPackProcess.start({ ...options, packDir: dir }),
                new PolicyPackError(
                    `[packDir] "${dir}" is not a policy pack: it has no PulumiPolicy.yaml.`,
                ),
            );
        });

        it("says the dependencies are not installed when run-policy-pack cannot be resolved", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-pack-"));
            try {
                fs.copyFileSync(
                    path.join(echoPack, "PulumiPolicy.yaml"),
                    path.join(dir, "PulumiPolicy.yaml"),
                );
                await assert.rejects(
                    PolicyPackProcess.start({ ...options, packDir: dir }),
                    new PolicyPackError(
                        `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${dir}"`,
                    ),
                );
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("includes the pack's stderr when it exits before printing its port", async () => {
            await assert.rejects(
                PolicyPackProcess.start({ ...options, packDir: brokenPack }),
                (e: Error) => {
                    assert.ok(e instanceof PolicyPackError);
                    // 32: run-policy-pack logged the error itself.
                    assert.ok(
                        e.message.startsWith(
                            `policy pack "${brokenPack}" exited with code 32 before it printed its port:\n`,
                        ),
                        e.message,
                    );
                    assert.ok(
                        e.message.includes("Error: the broken pack refuses to start"),
                        e.message,
                    );
                    assert.ok(!e.message.includes("\u001b"), "terminal colour codes are stripped");
                    return true;
                },
            );
        });

        it("rejects a non-nodejs runtime", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-pack-"));
            try {
                fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: python\n");
                await assert.rejects(
                    PolicyPackProcess.start({ ...options, packDir: dir }),
                    new PolicyPackError(
                        `[packDir] "${dir}" has runtime "python": only nodejs policy packs run offline.`,
                    ),
                );
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("the engine address given to the pack", () => {
        // run-policy-pack drops the address from the pack's argv, so a Node pack logs to its
        // output (collected above); the service is there for packs that do connect.
        it("serves Engine.Log and collects the messages", async () => {
            const logs: EngineLogEntry[] = [];
            const engine = await EngineLogServer.start(logs);
            const client = new engineGrpc.EngineClient(
                engine.address,
                grpc.credentials.createInsecure(),
            );
            try {
                const request = new enginePb.LogRequest();
                request.setSeverity(enginePb.LogSeverity.WARNING);
                request.setMessage("key rotation is off");
                request.setUrn(bucket().urn);
                await new Promise<void>((resolve, reject) =>
                    client.log(request, (err) => (err ? reject(err) : resolve())),
                );
                assert.deepStrictEqual(logs, [
                    {
                        severity: "warning",
                        message: "key rotation is off",
                        urn: bucket().urn,
                        source: "engine",
                    },
                ]);
            } finally {
                client.close();
                await engine.close();
            }
        });
    });

    describe("durationSeconds", () => {
        it("reads Go durations as the SDK's customTimeouts are written", () => {
            assert.strictEqual(durationSeconds("10m"), 600);
            assert.strictEqual(durationSeconds("1h30m"), 5400);
            assert.strictEqual(durationSeconds("1.5s"), 1.5);
            assert.strictEqual(durationSeconds(undefined), 0);
        });
        it("rejects anything else with the argument named", () => {
            assert.throws(
                () => durationSeconds("ten minutes"),
                new Error(
                    '[customTimeouts] "ten minutes" is not a duration: use a number and a unit (h, m, s, ms), e.g. "10m".',
                ),
            );
        });
    });
});
