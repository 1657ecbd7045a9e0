import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan, PlanOutcome } from "../../offline/plan";
import { ProgramRun } from "../../offline/program/runProgram";
import { renderDot, renderSvg } from "../../offline/report/graph";
import { PlanReport } from "../../offline/report/model";
import { renderSarif } from "../../offline/report/sarif";
import { readStateFile, UntypedDeployment } from "../../offline/report/state";
import { renderText } from "../../offline/report/text";
import {
    captureIo,
    fixture,
    planOptions,
    policyPackDir,
    referenceStack,
    schemaErrors,
} from "./support";

/** Every policy of ack-kms-policies, and the resource of test/fixtures/plan-violations that breaks it. */
const expectedViolations = [
    "ack-secret-encryption-enabled mandatory plain-cluster",
    "ack-secret-encryption-enabled mandatory plain-cluster",
    "kms-bound-key-present mandatory orphan-cluster",
    "kms-instance-renews-while-bound mandatory kms-instance",
    "kms-key-deletion-protected-while-bound mandatory signing-key",
    "kms-key-deletion-protected-while-bound mandatory signing-key",
    "kms-key-policy-allows-ack-role mandatory signing-key",
    "kms-key-rotation-enabled advisory signing-key",
    "kms-key-same-region mandatory signing-key",
    "kms-key-symmetric-for-secrets mandatory signing-key",
    "kms-key-symmetric-for-secrets mandatory signing-key",
    "ram-deny-key-destruction-attached advisory kms-ops-alice",
    // The first encrypted cluster by URN: the engine gives stack policies no set order.
    "ram-deny-update-kms-encryption-attached advisory bound-cluster",
    "ram-deny-update-kms-encryption-attached advisory cs-admin-alice",
    "ram-no-allow-update-kms-encryption mandatory cs-admin",
];

function violationsOf(report: PlanReport | undefined): string[] {
    return (report?.violations ?? [])
        .map((v) => `${v.policy} ${v.enforcementLevel} ${v.resourceName ?? "(stack)"}`)
        .sort();
}

describe("plan: the reference stack and a stack that breaks every policy", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-spec-"));
    let referencePreview: PlanOutcome;
    let referenceUpdate: PlanOutcome;
    let violations: PlanOutcome;
    let remediated: PlanOutcome;
    const remediateConfig = path.join(scratch, "remediate.json");
    const statePath = path.join(scratch, "state.json");

    const transpileOnly = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    before(async function () {
        // Program and pack processes share two cores with other suites: allow for a slow machine.
        this.timeout(240_000);
        // Type-checking the components takes seconds and is tsc's job; program.spec checks that
        // plan type-checks by default.
        process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        const withPack = { policyPack: [policyPackDir] };
        fs.writeFileSync(
            remediateConfig,
            JSON.stringify({
                "kms-key-deletion-protected-while-bound": "remediate",
                "kms-key-rotation-enabled": { enforcementLevel: "remediate", maxRotationDays: 365 },
            }),
        );
        [referencePreview, referenceUpdate, violations, remediated] = await Promise.all([
            plan(planOptions(referenceStack, withPack), captureIo()),
            plan(planOptions(referenceStack, { ...withPack, stateOut: statePath }), captureIo()),
            plan(planOptions(fixture("plan-violations"), withPack), captureIo()),
            plan(
                planOptions(fixture("plan-violations"), {
                    ...withPack,
                    policyConfig: [remediateConfig],
                }),
                captureIo(),
            ),
        ]);
    });
    after(() => {
        fs.rmSync(scratch, { recursive: true, force: true });
        if (transpileOnly === undefined) delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        else process.env.PULUMI_NODEJS_TRANSPILE_ONLY = transpileOnly;
    });

    it("plans the reference stack with no mandatory violation in preview", () => {
        assert.strictEqual(referencePreview.report?.mode, "preview");
        assert.deepStrictEqual(
            referencePreview.report?.violations.filter((v) => v.enforcementLevel === "mandatory"),
            [],
        );
        assert.strictEqual(referencePreview.exitCode, 0);
    });

    it("plans the reference stack with no mandatory violation in update mode", () => {
        assert.strictEqual(referenceUpdate.report?.mode, "update");
        assert.deepStrictEqual(
            referenceUpdate.report?.violations.filter((v) => v.enforcementLevel === "mandatory"),
            [],
        );
        assert.strictEqual(referenceUpdate.exitCode, 0);
    });

    it("finds exactly the violations the fixture was written to cause, in preview", () => {
        assert.deepStrictEqual(violationsOf(violations.report), expectedViolations);
        assert.strictEqual(violations.exitCode, 1);
        const policies = violations.report?.policyPacks[0].policies.map((p) => p.name).sort();
        assert.deepStrictEqual(
            [...new Set(expectedViolations.map((v) => v.split(" ")[0]))].sort(),
            policies,
            "the fixture breaks every policy of the pack",
        );
    });

    it("applies a --policy-config file: remediations fix inputs before the policies judge them", () => {
        // The key's rotation waits for its KMS instance's id (unknown in preview): a notice, no
        // remediation (the rotation remediation is tested in
        // test/policy/policies/kmsKeyRotationEnabled.spec.ts).
        const fixed = expectedViolations.filter(
            (v) => v !== "kms-key-deletion-protected-while-bound mandatory signing-key",
        );
        // protect: true is a resource option, which no remediation can set.
        fixed.push("kms-key-deletion-protected-while-bound mandatory signing-key");
        assert.deepStrictEqual(violationsOf(remediated.report), fixed.sort());
        assert.deepStrictEqual(
            remediated.report?.remediations.map(
                (r) => `${r.policyName} ${r.urn.split("::").pop()}`,
            ),
            ["kms-key-deletion-protected-while-bound signing-key"],
        );
        const packPolicies = remediated.report?.policyPacks[0].policies;
        assert.strictEqual(
            packPolicies?.find((p) => p.name === "kms-key-rotation-enabled")?.enforcementLevel,
            "remediate",
            "the report lists the levels in force",
        );
    });

    it("writes JSON that its schema accepts", () => {
        for (const outcome of [referencePreview, referenceUpdate, violations, remediated]) {
            const json = JSON.parse(JSON.stringify(outcome.report)) as unknown;
            assert.strictEqual(schemaErrors("plan-report.schema.json", json), "");
        }
    });

    it("rejects a report that breaks the JSON schema", () => {
        const broken = { ...violations.report, mode: "apply" };
        assert.match(
            schemaErrors("plan-report.schema.json", broken),
            /mode must be equal to one of the allowed values/,
        );
    });

    it("writes SARIF 2.1.0 with one rule per policy and one result per violation", () => {
        const report = violations.report as PlanReport;
        const sarif = renderSarif(report) as {
            runs: Array<{
                tool: { driver: { rules: Array<{ id: string }> } };
                results: Array<Record<string, any>>;
            }>;
        };
        assert.strictEqual(schemaErrors("sarif-2.1.0-subset.schema.json", sarif), "");
        const run = sarif.runs[0];
        assert.deepStrictEqual(
            run.tool.driver.rules.map((r) => r.id),
            report.policyPacks[0].policies.map((p) => p.name),
        );
        assert.strictEqual(run.results.length, report.violations.length);
        const orphan = run.results.find((r) => r.ruleId === "kms-bound-key-present");
        assert.strictEqual(orphan?.level, "error");
        assert.deepStrictEqual(orphan?.locations[0].physicalLocation, {
            artifactLocation: { uri: "test/fixtures/plan-violations/index.ts" },
            region: {
                startLine: lineOf(
                    "test/fixtures/plan-violations/index.ts",
                    'ManagedKubernetes("orphan-cluster"',
                ),
            },
        });
        assert.strictEqual(
            orphan?.locations[0].logicalLocations[0].fullyQualifiedName,
            "urn:pulumi:dev::plan-violations::alicloud:cs/managedKubernetes:ManagedKubernetes::orphan-cluster",
        );
        assert.strictEqual(
            run.results.find((r) => r.ruleId === "kms-key-rotation-enabled")?.level,
            "warning",
        );
    });

    it("names every binding in the graph", () => {
        for (const outcome of [referencePreview, violations]) {
            const report = outcome.report as PlanReport;
            const dot = renderDot(report);
            assert.ok(report.bindings.length > 0);
            for (const binding of report.bindings) {
                const index = report.resources.findIndex((r) => r.urn === binding.clusterUrn);
                const keyName = binding.keyUrn
                    ? report.resources.find((r) => r.urn === binding.keyUrn)?.name
                    : binding.keyId;
                assert.match(
                    dot,
                    new RegExp(`r${index} -> \\w+ \\[label="Secrets encrypted with ${keyName}"`),
                );
            }
        }
        const dot = renderDot(violations.report as PlanReport);
        assert.match(dot, /KMS key key-shh0000000000000000000a\\n\(not in this stack\)/);
    });

    it("renders the graph to SVG without native tools", async () => {
        const svg = await renderSvg(violations.report as PlanReport);
        assert.match(svg, /^<\?xml[\s\S]*<svg /);
        assert.ok(svg.includes("Secrets encrypted with signing&#45;key"), svg);
        assert.ok(svg.includes("Secrets encrypted with key&#45;shh0000000000000000000a"));
    });

    it("binds clusters to keys through propertyDependencies in preview, or by their literal id", () => {
        const byName = (report: PlanReport | undefined, name: string) =>
            report?.resources.find((r) => r.name === name)?.urn;
        const bindings = [...(violations.report?.bindings ?? [])].sort((a, b) =>
            a.clusterUrn.localeCompare(b.clusterUrn),
        );
        assert.deepStrictEqual(bindings, [
            {
                clusterUrn: byName(violations.report, "bound-cluster"),
                keyUrn: byName(violations.report, "signing-key"),
                guardUrns: [],
                source: "propertyDependencies",
            },
            {
                clusterUrn: byName(violations.report, "orphan-cluster"),
                keyId: "key-shh0000000000000000000a",
                guardUrns: [],
                source: "external",
            },
        ]);
    });

    it("writes a state file that reads back to the resources the packs judged", () => {
        const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as UntypedDeployment;
        assert.strictEqual(state.version, 3);
        const resources = state.deployment.resources;
        const key = resources.find((r) => r.type === "alicloud:kms/key:Key");
        const provider = resources.find((r) => key?.provider === `${r.urn}::${r.id}`);
        assert.strictEqual(provider?.type, "pulumi:providers:alicloud");
        assert.strictEqual(resources[0].type, "pulumi:pulumi:Stack");

        const run = referenceUpdate.run as ProgramRun;
        const read = readStateFile(state);
        const comparable = (r: (typeof read)[number]) => ({
            urn: r.urn,
            type: r.type,
            custom: r.custom,
            id: r.id,
            parent: r.parent,
            properties: r.properties,
            outputs: r.outputs,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            protect: r.protect,
            retainOnDelete: r.retainOnDelete,
            provider: r.provider,
        });
        assert.deepStrictEqual(read.map(comparable), run.resources.map(comparable));
    });

    it("shows in the tree and the JSON what the program registered", () => {
        const run = referencePreview.run as ProgramRun;
        const report = referencePreview.report as PlanReport;
        assert.deepStrictEqual(
            report.resources.map((r) => [r.urn, r.parent, r.protect, r.retainOnDelete]),
            run.resources.map((r) => [
                r.urn,
                r.parent,
                r.protect === true,
                r.retainOnDelete === true,
            ]),
        );
        for (const registration of run.registrations) {
            assert.ok(
                report.resources.some(
                    (r) => r.urn === registration.urn && r.custom === registration.custom,
                ),
            );
        }
        const text = renderText(report);
        for (const resource of report.resources) {
            assert.ok(
                text.includes(`${resource.type} "${resource.name}"`),
                `${resource.urn} is in the tree`,
            );
        }
        const boundCluster = report.resources.find((r) => r.boundKey);
        const boundKey = report.resources.find((r) => r.urn === boundCluster?.boundKey);
        assert.ok(
            text.includes(`${boundCluster?.type} "${boundCluster?.name}"`) &&
                text.includes(`-> Secrets encrypted with key "${boundKey?.name}"`),
        );
        const protectedKey = report.resources.find(
            (r) => r.protect && r.type === "alicloud:kms/key:Key",
        );
        assert.ok(text.includes(`alicloud:kms/key:Key "${protectedKey?.name}" [protect`));
    });

    it("prints the violations grouped by policy, with level, resource and message", () => {
        const text = renderText(violations.report as PlanReport);
        assert.ok(
            text.includes(
                "  [mandatory] ack-kms-policies/kms-bound-key-present: The KMS key an ACK cluster is bound to is in the stack, guarded by a KeyDeletionGuard, or listed in externalKeyIds.\n" +
                    '    - alicloud:cs/managedKubernetes:ManagedKubernetes "orphan-cluster": Keep KMS key "key-shh0000000000000000000a" in the stack, guard it with a KeyDeletionGuard, or list it in externalKeyIds: cluster orphan-cluster cannot read its Secrets without it.\n',
            ),
            text,
        );
        assert.ok(text.endsWith("Failed: 11 mandatory violation(s), 4 advisory.\n"), text);
    });
});

function lineOf(file: string, text: string): number {
    return (
        fs
            .readFileSync(file, "utf8")
            .split("\n")
            .findIndex((line) => line.includes(text)) + 1
    );
}

/** Node's own message for a file that is not JSON (its wording differs between Node versions). */
function jsonError(file: string): string {
    try {
        JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error(`${file} is JSON`);
}

describe("plan: bad input", () => {
    const bad: Array<[string, Parameters<typeof planOptions>[1] & { dir?: string }, string]> = [
        [
            "an unknown mode",
            { mode: "apply" as never },
            `[--mode] "apply" is not a mode: use preview (ids and outputs unknown, as pulumi preview) or update (mock ids and outputs).`,
        ],
        [
            "an unknown format",
            { format: "xml" as never },
            `[--format] "xml" is not a format: use text, json or sarif.`,
        ],
        [
            "a graph file of another kind",
            { graph: "plan.png" },
            `[--graph] "plan.png" must end in .svg (rendered) or .dot (Graphviz source).`,
        ],
        [
            "a state file in preview mode",
            { stateOut: "state.json", mode: "preview" },
            `[--state-out] cannot be used with --mode preview: a state file records ids and outputs, which are unknown in a preview. Use --mode update or leave --mode out.`,
        ],
        [
            "a policy pack folder without PulumiPolicy.yaml",
            { policyPack: ["test"] },
            `[--policy-pack] "test" has no PulumiPolicy.yaml: give the folder of a policy pack.`,
        ],
        [
            "more policy configs than packs",
            { policyPack: [policyPackDir], policyConfig: ["a.json", "b.json"] },
            `[--policy-config] 2 file(s) for 1 --policy-pack folder(s): give one config file per pack, in the same order, as pulumi preview --policy-pack-config does.`,
        ],
        [
            "a policy config that is not JSON",
            { policyPack: [policyPackDir], policyConfig: [fixture("plan-basic/Pulumi.yaml")] },
            `[--policy-config] "${fixture("plan-basic/Pulumi.yaml")}" is not valid JSON: ${jsonError(fixture("plan-basic/Pulumi.yaml"))}.`,
        ],
        [
            "a mocks file with unknown keys",
            { mocks: fixture("plan-basic/Pulumi.dev.yaml") },
            `[--mocks] "${fixture("plan-basic/Pulumi.dev.yaml")}" has unknown key(s) config: it must hold a mapping with "invokes" (token -> result object) and/or "resources" (type -> outputs object).`,
        ],
        [
            "a folder without Pulumi.yaml",
            { dir: fixture("") },
            `[program-dir] "${fixture("")}" has no Pulumi.yaml: give the folder of a Pulumi project (one holding Pulumi.yaml).`,
        ],
    ];
    it("explains a policy pack whose dependencies are not installed and exits 2", async () => {
        const pack = fs.mkdtempSync(path.join(os.tmpdir(), "plan-pack-"));
        fs.writeFileSync(path.join(pack, "PulumiPolicy.yaml"), "runtime: nodejs\n");
        fs.writeFileSync(path.join(pack, "package.json"), '{"name": "p", "version": "1.0.0"}\n');
        try {
            const io = captureIo();
            const outcome = await plan(
                planOptions(fixture("plan-basic"), { policyPack: [pack] }),
                io,
            );
            assert.strictEqual(
                io.err,
                `ack-kms plan: it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${pack}"\n`,
            );
            assert.strictEqual(outcome.exitCode, 2);
        } finally {
            fs.rmSync(pack, { recursive: true, force: true });
        }
    });

    for (const [what, options, message] of bad) {
        it(`explains ${what} and exits 2`, async () => {
            const io = captureIo();
            const { dir, ...overrides } = options;
            const outcome = await plan(planOptions(dir ?? fixture("plan-basic"), overrides), io);
            assert.strictEqual(io.err, `ack-kms plan: ${message}\n`);
            assert.strictEqual(io.out, "");
            assert.strictEqual(outcome.exitCode, 2);
        });
    }
});
