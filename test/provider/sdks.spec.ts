import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateSdks, sdkLanguages } from "../../scripts/schema/sdks";
import { realEngineMissing } from "../engine/support/realEngine";
import { repoRoot } from "../plan/support";

/** Every file under `dir`, relative, with its text; build leftovers of an editable install excluded. */
function files(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
        if (/(^|\/)(__pycache__|[^/]*\.egg-info|build)(\/|$)/.test(file)) continue;
        const full = path.join(dir, file);
        if (fs.statSync(full).isFile()) out[file] = fs.readFileSync(full, "utf8");
    }
    return out;
}

describe("sdk/: the SDKs the real CLI generates from provider/schema.json", function () {
    const missing = realEngineMissing();
    let scratch: string;

    before(function () {
        if (missing) {
            console.log(`SDK check skipped: ${missing}.`);
            this.skip();
        }
        this.timeout(300_000);
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ack-kms-sdk-check-"));
        generateSdks(scratch);
    });
    after(() => {
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    for (const language of sdkLanguages) {
        it(`has a current ${language} SDK (run \`npm run sdks\` when this fails)`, () => {
            const generated = files(path.join(scratch, language));
            const checkedIn = files(path.join(repoRoot, "sdk", language));
            assert.deepStrictEqual(Object.keys(checkedIn).sort(), Object.keys(generated).sort());
            for (const [file, text] of Object.entries(generated)) {
                assert.ok(checkedIn[file] === text, `sdk/${language}/${file} is stale`);
            }
        });
    }
});
