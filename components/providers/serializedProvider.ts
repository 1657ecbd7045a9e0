// Shared by every dynamic provider (components/keyDeletionGuard/, existingClusterEncryption/);
// what only one provider needs lives in its component's folder.
//
// What the two dynamic providers share about being serialized into the state: where their
// operations module can be loaded from, and the loader their serialized methods call. Pulumi
// serializes the loader with the provider, so it is plain code that captures only its arguments
// (a name and module paths) and imports nothing.

import * as fs from "fs";
import * as path from "path";

/**
 * Where the dynamic provider host can load an operations module that sits next to the calling
 * provider module (`location`: its `__dirname` and `__filename`): the installed package first, then
 * the module next to the caller (the TypeScript source under ts-node, or lib/ once built), then, for
 * a source checkout, its compiled twin under lib/ (the provider host runs plain Node, without
 * ts-node).
 *
 * The state keeps these paths, so none is absolute. An installed package (the caller under
 * node_modules) lists the package path alone. A checkout's modules are given relative to the
 * program's directory (`./...` or `../...`), where the provider host runs, and only when the program
 * is inside the checkout or the checkout inside the program; otherwise the package path alone is
 * kept.
 */
export function operationsModuleCandidates(
    packageModule: string,
    moduleName: string,
    location: { dirname: string; filename: string },
): string[] {
    if (location.dirname.split(/[\\/]/).includes("node_modules")) {
        return [packageModule];
    }
    const root = checkoutRoot(location.dirname);
    const operations = path.join(location.dirname, moduleName);
    const local = [operations];
    if (location.filename.endsWith(".ts")) {
        local.push(path.join(root, "lib", path.relative(root, operations)));
    }
    const program = process.cwd();
    const related = (a: string, b: string) => !path.relative(a, b).startsWith("..");
    if (!related(root, program) && !related(program, root)) {
        return [packageModule];
    }
    const fromProgram = (target: string) => {
        const relative = path.relative(program, target).split(path.sep).join("/");
        return relative.startsWith("..") ? relative : `./${relative}`;
    };
    return [packageModule, ...local.map(fromProgram)];
}

/**
 * The ack-kms checkout a provider module is in: the nearest folder above it whose package.json is
 * ack-kms's (components/<component>/ in the source, lib/components/<component>/ once built).
 */
function checkoutRoot(dirname: string): string {
    for (let dir = dirname; ; dir = path.dirname(dir)) {
        const manifest = path.join(dir, "package.json");
        try {
            if (
                (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name ===
                "ack-kms"
            ) {
                return dir;
            }
        } catch {
            // no package.json here, or not one we can read: keep looking
        }
        if (path.dirname(dir) === dir) return path.resolve(dirname, "..", "..");
    }
}

/**
 * A loader for the operations module, tried at each candidate path in turn when a provider method
 * runs (in the dynamic provider host, long after serialization). Only a candidate that is not there
 * is skipped: an error inside a module that is there is thrown as it is.
 */
export function operationsModuleLoader<Operations>(
    component: string,
    moduleCandidates: readonly string[],
): () => Operations {
    return () => {
        const tried: string[] = [];
        for (const candidate of moduleCandidates) {
            // A relative candidate is relative to the program's directory, the host's working one.
            const target = candidate.startsWith(".") ? `${process.cwd()}/${candidate}` : candidate;
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(target) as Operations;
            } catch (error) {
                const notFound =
                    (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" &&
                    String((error as Error).message)
                        .split("\n")[0]
                        .includes(`'${target}'`);
                if (!notFound) {
                    throw error;
                }
                tried.push(candidate);
            }
        }
        throw new Error(
            `${component} cannot load its provider module (tried ${tried.join(", ")}): install ack-kms in the stack (npm install ack-kms), or run npm run build in an ack-kms checkout.`,
        );
    };
}
