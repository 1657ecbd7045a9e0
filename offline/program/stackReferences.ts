// `--stack-reference org/project/stack=outputs.json`: the outputs a `pulumi.StackReference` reads.
// The CLI reads them from the backend; plan has none, so each referenced stack's outputs come from a
// file in the format `pulumi stack output --json` prints (a JSON object of output name -> value).
import * as fs from "fs";

/** Fully qualified stack name -> its outputs. */
export type StackReferenceOutputs = Record<string, Record<string, unknown>>;

export class StackReferenceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackReferenceError";
    }
}

export function loadStackReferences(pairs: string[]): StackReferenceOutputs {
    const references: StackReferenceOutputs = {};
    for (const pair of pairs) {
        const at = pair.indexOf("=");
        const name = at > 0 ? pair.slice(0, at) : "";
        const file = at > 0 ? pair.slice(at + 1) : "";
        if (!name || !file) {
            throw new StackReferenceError(
                `[--stack-reference] "${pair}" is not stack=file: write it as --stack-reference org/project/stack=outputs.json.`,
            );
        }
        let text: string;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch {
            throw new StackReferenceError(
                `[--stack-reference] "${file}" cannot be read: give a JSON file, such as the output of pulumi stack output --json.`,
            );
        }
        let outputs: unknown;
        try {
            outputs = JSON.parse(text);
        } catch {
            outputs = undefined;
        }
        if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
            throw new StackReferenceError(
                `[--stack-reference] "${file}" must hold a JSON object of output names and values, as pulumi stack output --json prints.`,
            );
        }
        references[name] = outputs as Record<string, unknown>;
    }
    return references;
}

/** Why a StackReference the program reads cannot be answered, with plan's fix. */
export function missingStackReferenceMessage(name: string): string {
    return (
        `The program reads stack "${name}" through a StackReference, and ack-kms plan has no backend to read it from: ` +
        `give its outputs with --stack-reference ${name}=outputs.json (the output of pulumi stack output --json).`
    );
}
