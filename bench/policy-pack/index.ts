// Policy pack benchmark: how much the ack-kms-policies pack adds to a deployment's policy analysis.
//
// Run: npx ts-node --transpile-only bench/policy-pack/index.ts [sizes...]   (default 1000 10000 20000)
//      BENCH_ROUNDS=3 for more rounds per size (default 2; the fastest round counts).
//
// It starts the real pack (policy/) and a no-op pack (bench/policy-pack/noop-pack: one resource and
// one stack policy that look at nothing) exactly as the Pulumi CLI does (offline/analyzer/), then
// drives both through the CLI's sequence on the same synthetic preview stacks: Remediate and
// Analyze per resource, then AnalyzeStack once. The stacks mix ACK clusters bound to KMS keys
// (preview form: ids unknown, bound through propertyDependencies), KeyDeletionGuards, RAM policies
// and attachments, and ordinary resources. Both packs are measured alternately on each size, after a
// warm-up run, in rounds; the fastest round of each counts, since other processes on a shared
// machine only ever add time. The table reports wall-clock times, the CPU time the pack process
// itself used (read from /proc, insensitive to other load), and the ratios against the targets:
// the pack <= 1.5x the no-op pack at 10,000 resources, and 20,000 <= 2.2x 10,000.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    analyzeWithPack,
    PolicyPackProcess,
    PolicyResource,
    unknownSentinel,
} from "../../offline/analyzer";
import { keyDeletionGuardKind, resourceTypes } from "../../policy/facts";

const project = "bench";
const stack = "dev";
const urn = (type: string, name: string) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
const stackUrn = urn("pulumi:pulumi:Stack", `${project}-${stack}`);
const provider = {
    urn: urn("pulumi:providers:alicloud", "default_3_108_0"),
    type: "pulumi:providers:alicloud",
    name: "default_3_108_0",
    properties: { region: "cn-hangzhou", version: "3.108.0" },
};

function resource(
    type: string,
    name: string,
    properties: Record<string, unknown>,
    propertyDependencies: Record<string, string[]> = {},
    protect = false,
): PolicyResource {
    return {
        urn: urn(type, name),
        type,
        name,
        custom: true,
        properties,
        parent: stackUrn,
        dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        propertyDependencies,
        protect,
        provider,
    };
}

/** One block of ten resources: an encrypted cluster with its key, guard and RAM, and five others. */
function block(i: number): PolicyResource[] {
    const key = resource(
        resourceTypes.kmsKey,
        `key-${i}`,
        {
            arn: unknownSentinel,
            keySpec: "Aliyun_AES_256",
            keyUsage: "ENCRYPT/DECRYPT",
            deletionProtection: i % 7 === 0 ? "Disabled" : "Enabled",
            automaticRotation: "Enabled",
            rotationInterval: "365d",
            pendingWindowInDays: 30,
            description: `secrets of cluster ${i}`,
        },
        {},
        true,
    );
    const guard = resource(
        resourceTypes.dynamicResource,
        `guard-${i}`,
        {
            kind: keyDeletionGuardKind,
            keyId: unknownSentinel,
            regionId: "cn-hangzhou",
            boundTo: `cluster-${i}`,
        },
        { keyId: [key.urn] },
    );
    const vpc = resource("alicloud:vpc/network:Network", `vpc-${i}`, {
        vpcName: `vpc-${i}`,
        cidrBlock: "10.0.0.0/8",
        tags: { team: "platform", index: String(i) },
    });
    const vswitch = resource(
        "alicloud:vpc/switch:Switch",
        `vsw-${i}`,
        { vpcId: unknownSentinel, cidrBlock: "10.1.0.0/16", zoneId: "cn-hangzhou-i" },
        { vpcId: [vpc.urn] },
    );
    const cluster = resource(
        resourceTypes.managedCluster,
        `cluster-${i}`,
        {
            clusterSpec: "ack.pro.small",
            encryptionProviderKey: unknownSentinel,
            disableEncryption: false,
            vswitchIds: [unknownSentinel],
            serviceCidr: "172.21.0.0/20",
            podCidr: "172.20.0.0/16",
            addons: [{ name: "terway-eniip" }, { name: "csi-plugin" }, { name: "csi-provisioner" }],
        },
        { encryptionProviderKey: [guard.urn], vswitchIds: [vswitch.urn] },
    );
    const policyName = `ops-${i}`;
    const ramPolicy = resource(resourceTypes.ramPolicy, policyName, {
        policyName,
        policyDocument: JSON.stringify({
            Version: "1",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["cs:Describe*", "cs:GetClusters", "ecs:Describe*"],
                    Resource: "*",
                },
                {
                    Effect: "Deny",
                    Action: "cs:UpdateKMSEncryption",
                    Resource: `acs:cs:*:*:cluster/c${i}`,
                },
            ],
        }),
    });
    const attachment = resource(
        resourceTypes.ramRolePolicyAttachment,
        `attach-${i}`,
        { roleName: `ops-${i % 50}`, policyName, policyType: "Custom" },
        { policyName: [ramPolicy.urn] },
    );
    const bucket = resource("alicloud:oss/bucket:Bucket", `bucket-${i}`, {
        bucket: `logs-${i}`,
        acl: "private",
        serverSideEncryptionRule: { sseAlgorithm: "KMS" },
        versioning: { status: "Enabled" },
    });
    const group = resource(
        "alicloud:ecs/securityGroup:SecurityGroup",
        `sg-${i}`,
        { vpcId: unknownSentinel, securityGroupName: `sg-${i}` },
        { vpcId: [vpc.urn] },
    );
    const logProject = resource("alicloud:log/project:Project", `log-${i}`, {
        projectName: `log-${i}`,
        description: "cluster audit logs",
    });
    return [key, guard, vpc, vswitch, cluster, ramPolicy, attachment, bucket, group, logProject];
}

export function syntheticStack(size: number): PolicyResource[] {
    const resources: PolicyResource[] = [
        {
            urn: stackUrn,
            type: "pulumi:pulumi:Stack",
            name: `${project}-${stack}`,
            custom: false,
            properties: {},
            dependencies: [],
            propertyDependencies: {},
        },
    ];
    for (let i = 0; resources.length < size; i++) {
        resources.push(...block(i));
    }
    return resources.slice(0, size);
}

interface Timing {
    /** wall clock of the CLI's whole sequence (Remediate + Analyze per resource, AnalyzeStack) */
    totalMs: number;
    /** CPU time the pack process used during it */
    cpuMs: number | undefined;
    /** wall clock of one more AnalyzeStack alone */
    stackMs: number;
    violations: number;
}

/** User + system CPU time of a process from /proc (Linux); undefined elsewhere. */
function cpuTimeMs(pid: number | undefined): number | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // utime and stime are fields 14 and 15 of the file, 12 and 13 after the command name.
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
        return undefined;
    }
}

async function measure(pack: PolicyPackProcess, resources: PolicyResource[]): Promise<Timing> {
    const cpuBefore = cpuTimeMs(pack.pid);
    const started = process.hrtime.bigint();
    const { violations } = await analyzeWithPack(pack, resources);
    const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpuAfter = cpuTimeMs(pack.pid);
    const stackStarted = process.hrtime.bigint();
    await pack.analyzeStack(resources);
    const stackMs = Number(process.hrtime.bigint() - stackStarted) / 1e6;
    return {
        totalMs,
        cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
        stackMs,
        violations: violations.length,
    };
}

function fastest(a: Timing | undefined, b: Timing): Timing {
    if (!a) {
        return b;
    }
    return {
        totalMs: Math.min(a.totalMs, b.totalMs),
        cpuMs:
            a.cpuMs === undefined || b.cpuMs === undefined ? undefined : Math.min(a.cpuMs, b.cpuMs),
        stackMs: Math.min(a.stackMs, b.stackMs),
        violations: b.violations,
    };
}

/** Runs the benchmark and prints its table; `bench/index.ts` may call it too. */
export async function runPolicyPackBenchmark(
    runSizes: number[] = [1_000, 10_000, 20_000],
): Promise<void> {
    const options = { project, stack, dryRun: true };
    const noop = await PolicyPackProcess.start({
        ...options,
        packDir: path.join(__dirname, "noop-pack"),
    });
    const pack = await PolicyPackProcess.start({
        ...options,
        packDir: path.join(__dirname, "..", "..", "policy"),
    });
    try {
        await noop.configure();
        await pack.configure();
        // Warm up both processes (JIT, gRPC channels) on a small stack.
        const warmUp = syntheticStack(500);
        await measure(noop, warmUp);
        await measure(pack, warmUp);

        const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
        const rows: Array<{ size: number; noop: Timing; pack: Timing }> = [];
        for (const size of runSizes) {
            const resources = syntheticStack(size);
            let noopTiming: Timing | undefined;
            let packTiming: Timing | undefined;
            for (let round = 0; round < rounds; round++) {
                noopTiming = fastest(noopTiming, await measure(noop, resources));
                packTiming = fastest(packTiming, await measure(pack, resources));
            }
            rows.push({ size, noop: noopTiming!, pack: packTiming! });
        }

        const fmt = (ms: number | undefined) =>
            ms === undefined ? "n/a" : `${(ms / 1000).toFixed(2)} s`;
        const ratio = (a: number | undefined, b: number | undefined) =>
            a === undefined || b === undefined ? "n/a" : `${(a / b).toFixed(2)}x`;
        console.log(
            `fastest of ${rounds} round(s) per size; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`,
        );
        console.log(
            "| resources | no-op pack | ack-kms-policies | ratio | no-op CPU | ack-kms CPU | CPU ratio | AnalyzeStack no-op | AnalyzeStack ack-kms | violations |",
        );
        console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (const { size, noop: n, pack: p } of rows) {
            const cells = [
                size.toLocaleString("en-US"),
                fmt(n.totalMs),
                fmt(p.totalMs),
                ratio(p.totalMs, n.totalMs),
                fmt(n.cpuMs),
                fmt(p.cpuMs),
                ratio(p.cpuMs, n.cpuMs),
                fmt(n.stackMs),
                fmt(p.stackMs),
                String(p.violations),
            ];
            console.log(`| ${cells.join(" | ")} |`);
        }
        const at = (size: number) => rows.find((r) => r.size === size);
        const ten = at(10_000);
        const twenty = at(20_000);
        if (ten) {
            const ratio = ten.pack.totalMs / ten.noop.totalMs;
            console.log(
                `\nack-kms-policies vs no-op at 10,000: ${ratio.toFixed(2)}x (target <= 1.5x) ${ratio <= 1.5 ? "PASS" : "FAIL"}`,
            );
        }
        if (ten && twenty) {
            const scaling = twenty.pack.totalMs / ten.pack.totalMs;
            console.log(
                `ack-kms-policies 20,000 vs 10,000: ${scaling.toFixed(2)}x (target <= 2.2x) ${scaling <= 2.2 ? "PASS" : "FAIL"}`,
            );
        }
    } finally {
        await noop.close();
        await pack.close();
    }
}

if (require.main === module) {
    const sizes = process.argv.slice(2).map(Number);
    runPolicyPackBenchmark(sizes.length > 0 ? sizes : undefined).catch((e) => {
        console.error(e);
        process.exit(2);
    });
}
