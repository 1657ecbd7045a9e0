// What importing the components costs a stack: no Kubernetes SDK (about 40 ms) unless the stack
// re-encrypts Secrets, and no Alibaba Cloud API SDK (they load in the dynamic providers at run time).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "../..");

function modulesLoadedBy(script: string): string[] {
    const result = spawnSync(
        process.execPath,
        [
            "-r",
            "ts-node/register/transpile-only",
            "-e",
            `${script}; console.log(JSON.stringify(Object.keys(require.cache)))`,
        ],
        { cwd: repoRoot, encoding: "utf8" },
    );
    assert.strictEqual(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim().split("\n").pop() ?? "[]") as string[];
}

const fromPackage = (modules: string[], pkg: string) =>
    modules.filter((m) => m.includes(`${path.sep}node_modules${path.sep}${pkg}${path.sep}`));

describe("components: what importing them loads", function () {
    this.timeout(60_000);

    it("loads neither @pulumi/kubernetes nor the @alicloud SDKs", () => {
        const loaded = modulesLoadedBy(`require("./components")`);
        assert.ok(fromPackage(loaded, "@pulumi/pulumi").length > 0, "the SDK itself is loaded");
        assert.deepStrictEqual(fromPackage(loaded, "@pulumi/kubernetes"), []);
        assert.deepStrictEqual(fromPackage(loaded, "@alicloud"), []);
    });

    it("loads @pulumi/kubernetes once a stack re-encrypts Secrets", () => {
        const loaded = modulesLoadedBy(
            `const { kubernetes } = require("./components/kubernetes"); kubernetes()`,
        );
        assert.ok(fromPackage(loaded, "@pulumi/kubernetes").length > 0);
    });
});
