// The Job's script run by a real POSIX shell, with a stand-in kubectl that records its calls.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { reencryptionScript } from "../../components/secretsReencryption";

/** Runs the script with a fake kubectl on PATH; `failGet` makes `kubectl get` fail. */
function runScript(script: string, failGet = false): Promise<{ code: number; calls: string[] }> {
    const dir = mkdtempSync(path.join(tmpdir(), "ack-kms-kubectl-"));
    const log = path.join(dir, "calls.log");
    writeFileSync(
        path.join(dir, "kubectl"),
        [
            "#!/bin/sh",
            // One whole line per call, so the two ends of a pipe never interleave in the log.
            'args=$(printf "%s|" "$@")',
            'if [ "$1" = get ]; then',
            `  printf '%s\\n' "$args" >> ${log}`,
            failGet ? "  exit 7" : `  echo '{"kind":"List","items":[]}'`,
            "else",
            "  input=$(cat)",
            `  printf '%s\\n' "$args" >> ${log}`,
            // As kubectl does: annotate/replace with nothing on stdin is an error.
            '  if [ -z "$input" ]; then echo "error: no objects passed to $1" >&2; exit 1; fi',
            "fi",
        ].join("\n"),
    );
    chmodSync(path.join(dir, "kubectl"), 0o755);
    return new Promise((resolve) =>
        execFile("/bin/sh", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin` } }, (error) => {
            let calls: string[] = [];
            try {
                calls = readFileSync(log, "utf8").trim().split("\n");
            } catch {
                calls = [];
            }
            resolve({ code: error ? Number(error.code) : 0, calls });
        }),
    );
}

describe("the re-encryption script in a shell", () => {
    it("annotates every Secret with the UTC time, as the guide's command does", async () => {
        const { code, calls } = await runScript(reencryptionScript("annotate"));
        assert.equal(code, 0);
        assert.equal(calls[0], "get|secrets|--all-namespaces|-o|json|");
        assert.match(
            calls[1],
            /^annotate\|--overwrite\|-f\|-\|encryption-key-rotation-time=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000\|$/,
        );
    });

    it("replaces Secrets namespace by namespace in replace mode", async () => {
        const { code, calls } = await runScript(reencryptionScript("replace", ["app", "db"]));
        assert.equal(code, 0);
        assert.deepEqual(
            calls.map((c) => c.replace(/stdin=.*/, "")),
            [
                "get|secrets|--namespace|app|-o|json|",
                "replace|-f|-|",
                "get|secrets|--namespace|db|-o|json|",
                "replace|-f|-|",
            ],
        );
    });

    it("fails the Job when kubectl get fails, instead of writing nothing and succeeding", async () => {
        const { code, calls } = await runScript(
            reencryptionScript("annotate", ["app", "db"]),
            true,
        );
        assert.notEqual(code, 0);
        assert.equal(calls.filter((c) => c.startsWith("get|")).length, 1, calls.join("\n"));
    });
});
