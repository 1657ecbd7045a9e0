// The differential suite: every program of the corpus runs through the real Pulumi CLI (built by
// `npm run toolchain`) and through `ack-kms plan`, in the same mode with the same packs, and the
// two must agree on the verdict and on every (policy, level, URN, message) finding.
import * as assert from "assert";
import * as path from "path";
import { policyPackDir, repoRoot } from "../plan/support";
import { findingSet, runPlan } from "./support/planEngine";
import { EngineOutcome, realEngineMissing, runRealEngine } from "./support/realEngine";

type Mode = "preview" | "update";

interface Case {
    name: string;
    dir: string;
    config?: string[];
    packs?: string[];
    modes: Mode[];
    /** Stack tags: `pulumi stack tag set` for the CLI, `--tag` for plan. */
    tags?: string[];
    /**
     * Stacks the program reads: deployed first for the CLI (a program of the same folder), their
     * outputs file for plan's --stack-reference.
     */
    stackReferences?: Array<{ name: string; deploy: string; outputs: string }>;
    /** `--policy-pack-config` files for the CLI, `--policy-config` for plan. */
    policyConfigs?: string[];
    /** What the case shows, for the test's name. */
    shows: string;
}

const program = (name: string) => path.join(repoRoot, "test/engine/programs", name);
const example = (name: string) => path.join(repoRoot, "examples", name);
const pack = (name: string) => path.join(repoRoot, "test/engine/packs", name);
const existingCluster = "clusterId=c0123456789abcdef0123456789abcdef";
const existingKey = "keyId=key-hzz65f2c9a1e0bxyz0001";

export const corpus: Case[] = [
    {
        name: "examples/new-cluster",
        dir: example("new-cluster"),
        modes: ["preview", "update"],
        shows: "the reference stack",
    },
    {
        name: "examples/existing-key",
        dir: example("existing-key"),
        config: [existingKey, 'vswitchIds=["vsw-a0001","vsw-b0002"]'],
        modes: ["preview"],
        shows: "a guarded existing key",
    },
    {
        name: "examples/serverless",
        dir: example("serverless"),
        modes: ["preview", "update"],
        shows: "a Serverless Pro cluster",
    },
    {
        name: "examples/existing-cluster",
        dir: example("existing-cluster"),
        config: [existingCluster],
        modes: ["preview"],
        shows: "encryption for a cluster made elsewhere",
    },
    {
        name: "examples/rotation",
        dir: example("rotation"),
        config: [existingCluster, existingKey],
        modes: ["preview"],
        shows: "re-encryption after rotation",
    },
    {
        name: "fixtures/plan-violations",
        dir: path.join(repoRoot, "test/fixtures/plan-violations"),
        // Not in update mode: its failing resources do not wait for each other, so which one the
        // engine meets first (and stops at) depends on timing.
        modes: ["preview"],
        shows: "every policy broken once; stack findings without a URN go to the root stack",
    },
    {
        name: "fixtures/plan-violations with waivers",
        dir: path.join(repoRoot, "test/fixtures/plan-violations"),
        policyConfigs: [path.join(repoRoot, "test/engine/configs/waivers.json")],
        modes: ["preview"],
        shows: "a waived finding turns advisory, an expired waiver fails the run",
    },
    {
        name: "key-bound",
        dir: program("key-bound"),
        modes: ["preview", "update"],
        shows: "a passing stack of plain alicloud resources",
    },
    {
        name: "update-stop",
        dir: program("update-stop"),
        modes: ["preview", "update"],
        shows: "pulumi up stops at the first resource with a mandatory violation",
    },
    {
        name: "transform-stack",
        dir: program("transform-stack"),
        modes: ["preview"],
        shows: "a stack transform that unprotects the bound key",
    },
    {
        name: "transform-option",
        dir: program("transform-option"),
        modes: ["preview"],
        shows: "the transforms option on the bound key",
    },
    {
        name: "transform-invoke",
        dir: program("transform-invoke"),
        packs: [pack("observe-pack")],
        modes: ["preview"],
        shows: "an invoke transform rewrites a data source's arguments",
    },
    {
        name: "key-bound with observe then remediate",
        dir: program("key-bound"),
        packs: [pack("observe-pack"), pack("remediate-pack")],
        tags: ["owner=platform", "cost-center=ack"],
        modes: ["preview"],
        shows: "every pack's Remediate runs before any pack's Analyze; the stack's tags",
    },
    {
        name: "key-bound with remediate then observe",
        dir: program("key-bound"),
        packs: [pack("remediate-pack"), pack("observe-pack")],
        modes: ["preview"],
        shows: "pack order",
    },
    {
        name: "explicit-provider",
        dir: program("explicit-provider"),
        packs: [pack("observe-pack"), policyPackDir],
        modes: ["preview"],
        shows: "an explicit provider's inputs, version among them",
    },
    {
        name: "stack-reference",
        dir: program("stack-reference"),
        stackReferences: [
            {
                name: "organization/platform/prod",
                deploy: "platform/prod",
                outputs: path.join(program("platform"), "outputs.json"),
            },
        ],
        modes: ["preview", "update"],
        shows: "a StackReference's outputs, never given to Analyze",
    },
    {
        name: "exit-early",
        dir: program("exit-early"),
        modes: ["preview"],
        shows: "process.exit(0) while registrations are in flight fails the run",
    },
    {
        name: "unresolved-output",
        dir: program("unresolved-output"),
        modes: ["preview", "update"],
        shows: "a stack output that never resolves",
    },
    {
        name: "read-resource",
        dir: program("read-resource"),
        modes: ["preview"],
        shows: "a read resource reaches no pack",
    },
];

/** The CLI exits non-zero both for mandatory violations and for errors: tell them apart. */
function realVerdict(outcome: EngineOutcome): string {
    if (outcome.exitCode === 0) return "passed";
    return outcome.findings.some((f) => f.level === "mandatory")
        ? "mandatory violations"
        : "failed";
}

function planVerdict(exitCode: number | null): string {
    return exitCode === 0 ? "passed" : exitCode === 1 ? "mandatory violations" : "failed";
}

describe("differential: ack-kms plan agrees with the real Pulumi CLI", function () {
    const missing = realEngineMissing();
    let agreed = 0;
    let compared = 0;

    before(function () {
        if (missing) {
            console.log(`differential suite skipped: ${missing}.`);
            this.skip();
        }
    });
    after(() => {
        if (!missing) console.log(`      differential suite: ${agreed} of ${compared} runs agree.`);
    });

    for (const c of corpus) {
        for (const mode of c.modes) {
            it(`agrees on ${c.name} in ${mode} mode (${c.shows})`, function () {
                this.timeout(600_000);
                compared++;
                const packs = c.packs ?? [policyPackDir];
                const real: EngineOutcome = runRealEngine(c.dir, {
                    config: c.config,
                    policyPacks: packs,
                    mode,
                    tags: c.tags,
                    policyPackConfigs: c.policyConfigs,
                    deployFirst: c.stackReferences?.map((r) => r.deploy),
                });
                const planned = runPlan(c.dir, {
                    config: c.config,
                    policyPacks: packs,
                    mode,
                    tags: c.tags,
                    policyPackConfigs: c.policyConfigs,
                    stackReferences: c.stackReferences?.map((r) => `${r.name}=${r.outputs}`),
                });
                const context = `\nreal CLI errors: ${real.errors.join(" | ") || "none"}\nplan stderr: ${planned.stderr.slice(0, 2000)}`;
                assert.deepStrictEqual(
                    findingSet(planned.findings),
                    findingSet(real.findings),
                    context,
                );
                assert.strictEqual(planVerdict(planned.exitCode), realVerdict(real), context);
                agreed++;
            });
        }
    }
});
