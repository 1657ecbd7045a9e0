import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { counted } from "../../offline/report/counted";
import { ackKms, fixture, policyPackDir } from "./support";

describe("plan: the ack-kms command", () => {
    it("counts one resource as one (the progress line and the header)", () => {
        assert.strictEqual(counted(1, "resource"), "1 resource");
        assert.strictEqual(counted(0, "resource"), "0 resources");
        assert.strictEqual(counted(2, "default provider"), "2 default providers");
    });

    it("exits 0 when no policy is broken, with the plan on stdout", () => {
        const result = ackKms(["plan", fixture("plan-basic"), "--quiet"], {
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        });
        assert.strictEqual(result.stderr, "");
        // The header's count agrees with the progress line's: the program's registrations apart
        // from the default provider the engine adds.
        assert.match(
            result.stdout,
            /^Plan of plan-basic \(stack dev, preview\) - 6 resources \(5 registered by the program, 1 default provider\)\n/,
        );
        assert.match(
            result.stdout,
            /No policy pack given \(--policy-pack\): resources were not checked\.\n/,
        );
        assert.strictEqual(result.status, 0);
    });

    it("type-checks the program unless --transpile-only, and exits 2 on a type error", () => {
        const checked = ackKms(["plan", fixture("plan-type-error"), "--quiet"], {
            PULUMI_NODEJS_TRANSPILE_ONLY: "",
        });
        assert.strictEqual(checked.status, 2);
        assert.match(
            checked.stderr,
            /^ack-kms plan: The program in \S+ failed: TSError: ⨯ Unable to compile TypeScript:\n[\s\S]*TS2322/,
        );
        const transpiled = ackKms(
            ["plan", fixture("plan-type-error"), "--quiet", "--transpile-only"],
            { PULUMI_NODEJS_TRANSPILE_ONLY: "" },
        );
        assert.strictEqual(transpiled.status, 0, transpiled.stderr);
    });

    it("exits 1 on mandatory violations, keeping the program's output off the JSON on stdout", () => {
        const result = ackKms([
            "plan",
            fixture("plan-violations"),
            "--policy-pack",
            policyPackDir,
            "--format",
            "json",
        ]);
        const report = JSON.parse(result.stdout) as {
            summary: { mandatory: number; passed: boolean };
        };
        // The fixture breaks every mandatory policy, the three key-loss ones included.
        assert.deepStrictEqual(report.summary, {
            resources: 12,
            mandatory: 11,
            advisory: 4,
            passed: false,
        });
        assert.match(result.stderr, /\n {2}\| planning a stack that breaks every policy\n/);
        assert.match(
            result.stderr,
            /^Running test\/fixtures\/plan-violations \(project plan-violations, stack dev, preview\) under the SDK mocks\.\.\.\n/,
        );
        assert.strictEqual(result.status, 1);
    });

    it("exits 2 with the program's message when the program throws", () => {
        const result = ackKms(["plan", fixture("plan-throws"), "-q"]);
        assert.strictEqual(
            result.stderr,
            'ack-kms plan: The program in test/fixtures/plan-throws failed: [clusterSpec] "ack.standard" is not ACK Pro: use ack.pro.small.\n',
        );
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(result.status, 2);
    });

    it("exits 2 on a policy name the pack does not have, which the Pulumi CLI would ignore", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-typo-"));
        const file = path.join(dir, "policy-config.json");
        fs.writeFileSync(file, JSON.stringify({ "ram-no-allow-update-kms-encrption": "disabled" }));
        try {
            const result = ackKms(
                [
                    "plan",
                    fixture("plan-violations"),
                    "--policy-pack",
                    policyPackDir,
                    "--policy-config",
                    file,
                    "--transpile-only",
                    "-q",
                ],
                {},
                120_000,
            );
            assert.strictEqual(result.status, 2, result.stderr);
            assert.match(
                result.stderr,
                /\[--policy-config\] "ram-no-allow-update-kms-encrption" is not a policy of ack-kms-policies 0\.1\.0: use one of ack-secret-encryption-enabled, .*ram-no-allow-update-kms-encryption, or "all"\./,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("exits 2 on a missing folder", () => {
        const result = ackKms(["plan", "no/such/stack"]);
        assert.strictEqual(
            result.stderr,
            `ack-kms plan: [program-dir] "no/such/stack" is not a folder: give the folder that holds the program's Pulumi.yaml.\n`,
        );
        assert.strictEqual(result.status, 2);
    });

    it("exits 2 on an unknown option, with commander's message and the usage", () => {
        const result = ackKms(["plan", "--polcy-pack", "policy"]);
        assert.match(
            result.stderr,
            /^error: unknown option '--polcy-pack'\n\(Did you mean --policy-pack\?\)\n/,
        );
        assert.match(result.stderr, /Usage: ack-kms plan \[options\] \[program-dir\]/);
        assert.strictEqual(result.status, 2);
    });

    it("exits 0 for --help", () => {
        const result = ackKms(["plan", "--help"]);
        assert.match(result.stdout, /--policy-pack <dir>/);
        assert.strictEqual(result.status, 0);
    });
});
