// Plan's output files (--graph, --state-out): written all or none, each through a temporary file
// renamed into place, so an error never leaves a file half-written or one of a pair alone.
import * as fs from "fs";
import * as path from "path";

/** An output file cannot be written; the message is one line naming the option and the file. */
export class PlanOutputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanOutputError";
    }
}

/**
 * Writes each file to a temporary name beside it, then renames them all into place. Any error
 * removes the temporary files and throws one line naming the option and the file.
 */
export function writeFilesAtomically(
    files: Array<{ option: string; file: string; content: string }>,
): void {
    const written: string[] = [];
    try {
        for (const f of files) {
            const temporary = path.join(
                path.dirname(path.resolve(f.file)),
                `.${path.basename(f.file)}.${process.pid}.tmp`,
            );
            try {
                fs.writeFileSync(temporary, f.content, { flag: "wx" });
            } catch (e) {
                throw new PlanOutputError(`[${f.option}] cannot write "${f.file}": ${reason(e)}.`);
            }
            written.push(temporary);
        }
        files.forEach((f, index) => {
            try {
                fs.renameSync(written[index], f.file);
            } catch (e) {
                throw new PlanOutputError(`[${f.option}] cannot write "${f.file}": ${reason(e)}.`);
            }
        });
    } finally {
        for (const temporary of written) fs.rmSync(temporary, { force: true });
    }
}

function reason(e: unknown): string {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === "ENOENT") return "its folder does not exist";
    if (err?.code === "EACCES" || err?.code === "EPERM") return "permission denied";
    if (err?.code === "EISDIR") return "it is a folder";
    if (err?.code === "ENOSPC") return "no space left on the device";
    return err?.code ?? String((e as Error)?.message ?? e);
}
