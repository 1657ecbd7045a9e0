// The source tree has no import circles (issue 13): a module's imports, types included, never lead
// back to it, so each folder can be read, tested and published in dependency order.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

const root = path.resolve(__dirname, "../..");
const sourceFolders = ["components", "cloud", "offline", "cli", "policy", "scripts", "bench"];

function sourceFiles(dir: string): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (["node_modules", "lib", "programs"].includes(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) found.push(...sourceFiles(full));
        else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(full);
    }
    return found;
}

/** The project files a module imports or requires by a relative path, type-only imports included. */
function importsOf(file: string): string[] {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const targets: string[] = [];
    for (const { fileName } of info.importedFiles) {
        if (!fileName.startsWith(".")) continue;
        const base = path.resolve(path.dirname(file), fileName);
        const target = [base, `${base}.ts`, path.join(base, "index.ts")].find(
            (candidate) => candidate.endsWith(".ts") && fs.existsSync(candidate),
        );
        if (target) targets.push(target);
    }
    return targets;
}

/** Every cycle's files, found by a depth-first walk (each cycle reported once, from its first file). */
export function importCircles(files: string[]): string[][] {
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const circles: string[][] = [];
    const visit = (file: string) => {
        state.set(file, "open");
        stack.push(file);
        for (const next of graph.get(file) ?? []) {
            if (state.get(next) === "open") circles.push(stack.slice(stack.indexOf(next)));
            else if (!state.has(next) && graph.has(next)) visit(next);
        }
        stack.pop();
        state.set(file, "done");
    };
    for (const file of files) if (!state.has(file)) visit(file);
    return circles;
}

describe("layout: import circles", () => {
    it("finds a circle when there is one (the check itself)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "circles-"));
        try {
            fs.writeFileSync(
                path.join(dir, "a.ts"),
                'import type { B } from "./b";\nexport type A = B;\n',
            );
            fs.writeFileSync(
                path.join(dir, "b.ts"),
                'import { a } from "./a";\nexport type B = typeof a;\n',
            );
            fs.writeFileSync(path.join(dir, "c.ts"), 'import "./a";\n');
            const circles = importCircles(["a.ts", "b.ts", "c.ts"].map((f) => path.join(dir, f)));
            assert.deepStrictEqual(
                circles.map((c) => c.map((f) => path.basename(f))),
                [["a.ts", "b.ts"]],
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("has none in the project's sources", () => {
        const files = sourceFolders.flatMap((folder) => sourceFiles(path.join(root, folder)));
        const circles = importCircles(files).map((circle) =>
            circle.map((file) => path.relative(root, file)).join(" -> "),
        );
        assert.deepStrictEqual(circles, []);
    });
});
