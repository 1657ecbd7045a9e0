import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    loadProgramProject,
    packageConfig,
    undecryptableSecretPlaceholder,
} from "../../offline/program/project";
import { fixture } from "./support";

const made: string[] = [];
after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-project-"));
    made.push(dir);
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

describe("plan: reading Pulumi.yaml and stack config", () => {
    it("reads stack config, qualifies bare keys with the project name and keeps secure values secret", () => {
        const loaded = loadProgramProject(fixture("plan-basic"), { stack: "dev" });
        assert.strictEqual(loaded.name, "plan-basic");
        assert.strictEqual(loaded.entryPoint, "index.ts");
        assert.strictEqual(loaded.typescript, true);
        assert.deepStrictEqual(loaded.config, {
            "alicloud:region": "cn-shanghai",
            "plan-basic:clusterName": "basic",
            "plan-basic:adminPassword": undecryptableSecretPlaceholder,
        });
        assert.deepStrictEqual(loaded.secretKeys, ["plan-basic:adminPassword"]);
        assert.deepStrictEqual(loaded.undecryptedKeys, ["plan-basic:adminPassword"]);
    });

    it("lets --config override stack config, including an undecryptable secret", () => {
        const loaded = loadProgramProject(fixture("plan-basic"), {
            stack: "dev",
            configOverrides: ["alicloud:region=cn-hangzhou", "adminPassword=s3cret=="],
        });
        assert.strictEqual(loaded.config["alicloud:region"], "cn-hangzhou");
        assert.strictEqual(loaded.config["plan-basic:adminPassword"], "s3cret==");
        assert.deepStrictEqual(loaded.secretKeys, ["plan-basic:adminPassword"]);
        assert.deepStrictEqual(loaded.undecryptedKeys, []);
    });

    it("writes structured config as JSON and takes project config defaults", () => {
        const dir = project({
            "Pulumi.yaml":
                "name: p\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: --max-old-space-size=512 --no-warnings\nconfig:\n  size:\n    type: integer\n    default: 3\n  zone: z-a\n",
            "Pulumi.prod.yaml":
                "config:\n  p:roles:\n    - ops\n    - dev\n  p:db:\n    user: admin\n    password:\n      secure: v1:abc\n  p:enabled: true\n",
        });
        const loaded = loadProgramProject(dir, { stack: "prod" });
        assert.deepStrictEqual(loaded.config, {
            "p:size": "3",
            "p:zone": "z-a",
            "p:roles": '["ops","dev"]',
            "p:db": JSON.stringify({ user: "admin", password: undecryptableSecretPlaceholder }),
            "p:enabled": "true",
        });
        assert.deepStrictEqual(loaded.secretKeys, ["p:db"]);
        assert.strictEqual(loaded.typescript, false);
        assert.deepStrictEqual(loaded.nodeArgs, ["--max-old-space-size=512", "--no-warnings"]);
        assert.strictEqual(loaded.entryPoint, ".");
        assert.strictEqual(loaded.programDirectory, dir);
    });

    it("runs a program from Pulumi.yaml's main folder", () => {
        const dir = project({
            "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: src/\n",
            "src/index.ts": "",
        });
        const loaded = loadProgramProject(dir, { stack: "dev" });
        assert.strictEqual(loaded.programDirectory, path.join(dir, "src"));
        assert.strictEqual(loaded.entryPoint, ".");
        assert.strictEqual(loaded.stackFileFound, false);
    });

    it("gives the default provider the package's config without its namespace", () => {
        assert.deepStrictEqual(
            packageConfig(
                { "alicloud:region": "cn-beijing", "alicloud:profile": "ci", "p:x": "1" },
                "alicloud",
            ),
            { region: "cn-beijing", profile: "ci" },
        );
    });

    const emptyDir = project({});
    const failures: Array<[string, () => void, string]> = [
        [
            "a missing folder",
            () => loadProgramProject("/nonexistent/stack", { stack: "dev" }),
            `[program-dir] "/nonexistent/stack" is not a folder: give the folder that holds the program's Pulumi.yaml.`,
        ],
        [
            "a folder without Pulumi.yaml",
            () => loadProgramProject(emptyDir, { stack: "dev" }),
            `[program-dir] "${emptyDir}" has no Pulumi.yaml: give the folder of a Pulumi project (one holding Pulumi.yaml).`,
        ],
        [
            "a python project",
            () =>
                loadProgramProject(project({ "Pulumi.yaml": "name: p\nruntime: python\n" }), {
                    stack: "dev",
                }),
            `[runtime] "python" in PULUMI_YAML is not supported: ack-kms plan runs nodejs programs only.`,
        ],
        [
            "a --config without =",
            () =>
                loadProgramProject(fixture("plan-basic"), {
                    stack: "dev",
                    configOverrides: ["alicloud:region"],
                }),
            `[--config] "alicloud:region" is not key=value: write it as --config alicloud:region=cn-hangzhou.`,
        ],
        [
            "a main that does not exist",
            () =>
                loadProgramProject(
                    project({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: app.ts\n" }),
                    { stack: "dev" },
                ),
            `[main] "app.ts" in PULUMI_YAML does not exist: point it at the program's folder or file.`,
        ],
    ];
    for (const [what, load, message] of failures) {
        it(`explains ${what}`, () => {
            assert.throws(load, (err: Error) => {
                const file = /in (\/\S+Pulumi\.yaml)/.exec(err.message)?.[1] ?? "PULUMI_YAML";
                assert.strictEqual(err.message, message.replace("PULUMI_YAML", file));
                return true;
            });
        });
    }
});
