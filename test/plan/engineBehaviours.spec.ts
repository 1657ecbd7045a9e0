// What `ack-kms plan` does where it follows the engine's own sequence, pinned on the programs of the
// differential suite (test/engine/programs), so machines without the real CLI still check it. The
// expected values are what the real `pulumi preview` / `pulumi up` reported for the same programs.
import * as assert from "assert";
import * as path from "path";
import { plan, PlanOptions } from "../../offline/plan";
import type { PlanReport } from "../../offline/report/model";
import { captureIo, planOptions, policyPackDir, repoRoot } from "./support";

const program = (name: string) => path.join(repoRoot, "test/engine/programs", name);
const pack = (name: string) => path.join(repoRoot, "test/engine/packs", name);

async function report(name: string, overrides: Partial<PlanOptions>): Promise<PlanReport> {
    const outcome = await plan(
        planOptions(program(name), { transpileOnly: true, ...overrides }),
        captureIo(),
    );
    assert.ok(outcome.report, `no report for ${name}`);
    return outcome.report;
}

const findings = (r: PlanReport, policy: string) =>
    r.violations.filter((v) => v.policy === policy).map((v) => `${v.resourceName}: ${v.message}`);

describe("plan: the engine's sequence", function () {
    this.timeout(120_000);

    it("applies a stack transform that turns protect off, so the bound key fails", async () => {
        const r = await report("transform-stack", { policyPack: [policyPackDir] });
        assert.ok(
            findings(r, "kms-key-deletion-protected-while-bound").some(
                (f) => f.startsWith("secrets: ") && f.includes("protect: true"),
            ),
            JSON.stringify(r.violations),
        );
        assert.strictEqual(r.summary.passed, false);
    });

    it("applies the transforms option to the resource's inputs and options", async () => {
        const r = await report("transform-option", { policyPack: [pack("observe-pack")] });
        assert.deepStrictEqual(findings(r, "observe-key-inputs"), [
            "secrets: Reports the description and protect option a KMS key is analyzed with.\ndescription=transformed protect=false provider=pulumi:providers:alicloud version=3.108.0",
        ]);
    });

    it("applies the stack's invoke transforms to a data source's arguments", async () => {
        const r = await report("transform-invoke", { policyPack: [pack("observe-pack")] });
        assert.deepStrictEqual(
            findings(r, "observe-key-inputs").map((f) => f.split("\n")[1]),
            [
                "description=zones for Instance protect=true provider=pulumi:providers:alicloud version=3.108.0",
            ],
        );
    });

    for (const order of [
        ["observe-pack", "remediate-pack"],
        ["remediate-pack", "observe-pack"],
    ]) {
        it(`runs every pack's Remediate before any pack's Analyze (${order.join(", ")})`, async () => {
            const r = await report("key-bound", { policyPack: order.map(pack) });
            assert.deepStrictEqual(
                findings(r, "observe-key-inputs").map((f) => f.split("\n")[1]),
                [
                    "description=remediated protect=true provider=pulumi:providers:alicloud version=3.108.0",
                ],
            );
        });
    }

    it("sends the stack tags --tag gives, as a backend sends the tags it keeps", async () => {
        const r = await report("key-bound", {
            policyPack: [pack("observe-pack")],
            tag: ["owner=platform"],
        });
        assert.deepStrictEqual(findings(r, "observe-stack-tags"), [
            "key-bound-dev: Reports the stack tags the engine sent.\ntags: owner=platform",
        ]);
    });

    it("gives a read resource to no pack, so a cluster bound to it has no key in the stack", async () => {
        const r = await report("read-resource", {
            policyPack: [pack("observe-pack"), policyPackDir],
        });
        assert.deepStrictEqual(findings(r, "observe-key-inputs"), []);
        assert.deepStrictEqual(findings(r, "kms-key-deletion-protected-while-bound"), []);
        assert.strictEqual(findings(r, "kms-bound-key-present").length, 1);
    });

    it("fails a program that calls process.exit(0) before the SDK's runner finished", async () => {
        const outcome = await plan(
            planOptions(program("exit-early"), { transpileOnly: true }),
            captureIo(),
        );
        assert.strictEqual(outcome.exitCode, 2);
    });

    it("stops update mode at the first resource with a mandatory violation, and says so", async () => {
        const r = await report("update-stop", { policyPack: [policyPackDir], mode: "update" });
        assert.deepStrictEqual(
            r.violations.map((v) => `${v.policy} ${v.resourceName}`),
            ["ram-no-allow-update-kms-encryption first"],
        );
        assert.ok(
            r.notes.some((n) => n.includes("stopped at") && n.includes("::first")),
            r.notes.join("\n"),
        );
    });

    it("analyzes every resource in preview mode, where the engine does not stop", async () => {
        const r = await report("update-stop", { policyPack: [policyPackDir], mode: "preview" });
        assert.deepStrictEqual(r.violations.map((v) => `${v.policy} ${v.resourceName}`).sort(), [
            "ack-secret-encryption-enabled second",
            "ack-secret-encryption-enabled second",
            "ram-no-allow-update-kms-encryption first",
        ]);
    });
});
