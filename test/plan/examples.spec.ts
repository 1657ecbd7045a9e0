// Every example stack plans offline, in preview and in update mode, with no mandatory violation of
// the policy pack: what `ack-kms plan examples/<name> --policy-pack policy` shows a user.
import * as assert from "assert";
import * as path from "path";
import { plan, PlanOutcome } from "../../offline/plan";
import { PlanReport } from "../../offline/report/model";
import { captureIo, planOptions, policyPackDir, repoRoot } from "./support";

/** Each example with the stack config its README asks for (`pulumi config set ...`). */
const examples: Record<string, string[]> = {
    "new-cluster": [],
    "existing-key": ["keyId=key-hzz65f2c9a1e0bxyz0001", 'vswitchIds=["vsw-a0001","vsw-b0002"]'],
    serverless: [],
    "existing-cluster": ["clusterId=c0123456789abcdef0123456789abcdef"],
    rotation: ["clusterId=c0123456789abcdef0123456789abcdef", "keyId=key-hzz65f2c9a1e0bxyz0001"],
};

function mandatory(report: PlanReport | undefined): string[] {
    return (report?.violations ?? [])
        .filter((v) => v.enforcementLevel === "mandatory")
        .map((v) => `${v.policy} ${v.resourceName}: ${v.message}`);
}

describe("plan: every example", () => {
    const outcomes = new Map<string, PlanOutcome>();
    const transpileOnly = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;

    before(async function () {
        this.timeout(300_000);
        // Type-checking the examples is `npm run typecheck`'s job.
        process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        for (const [name, config] of Object.entries(examples)) {
            for (const mode of ["preview", "update"] as const) {
                const io = captureIo();
                const options = planOptions(path.join(repoRoot, "examples", name), {
                    config,
                    mode,
                    policyPack: [policyPackDir],
                });
                outcomes.set(`${name} ${mode}`, await plan(options, io));
            }
        }
    });
    after(() => {
        if (transpileOnly === undefined) delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        else process.env.PULUMI_NODEJS_TRANSPILE_ONLY = transpileOnly;
    });

    for (const name of Object.keys(examples)) {
        for (const mode of ["preview", "update"]) {
            it(`plans examples/${name} in ${mode} mode with no mandatory violation`, () => {
                const outcome = outcomes.get(`${name} ${mode}`);
                assert.ok(outcome?.report, `no report for ${name} ${mode}`);
                assert.deepStrictEqual(mandatory(outcome.report), []);
                assert.strictEqual(outcome.exitCode, 0);
            });
        }
    }

    it("binds the existing cluster to its key through ExistingClusterEncryption in both modes", () => {
        for (const mode of ["preview", "update"]) {
            const report = outcomes.get(`existing-cluster ${mode}`)?.report;
            const binding = report?.bindings.find((b) =>
                b.clusterUrn.endsWith("::encryption-encryption"),
            );
            assert.ok(binding, `no binding in ${mode} mode`);
            assert.ok(binding.keyUrn?.endsWith("::secrets-key"), `${mode}: ${binding.keyUrn}`);
        }
    });
});
