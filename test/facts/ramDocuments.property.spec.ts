// parsePolicyDocument over generated input: it never throws, finds no duplicate key in what
// JSON.stringify writes, and finds every duplicate spliced into a document (JSON.parse keeps the
// last one silently, so a missed duplicate would be a hidden grant).
import * as assert from "assert";
import * as fc from "fast-check";
import { isUnreadable, parsePolicyDocument } from "../../policy/ram/documents";

const duplicates = (text: string): string[] => {
    const parsed = parsePolicyDocument(text);
    return isUnreadable(parsed) ? parsed.problems.filter((p) => p.startsWith("duplicate key")) : [];
};

describe("parsePolicyDocument (generated input)", () => {
    it("never throws, on any string or JSON text", () => {
        fc.assert(
            fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue()), (input) => {
                parsePolicyDocument(input);
            }),
            { numRuns: 2000 },
        );
    });

    it("finds no duplicate key in what JSON.stringify writes", () => {
        fc.assert(
            fc.property(fc.jsonValue(), (value) => {
                assert.deepStrictEqual(duplicates(JSON.stringify(value)), []);
            }),
            { numRuns: 2000 },
        );
    });

    it("finds a duplicate spliced into any statement, with the key it names", () => {
        const key = fc.constantFrom("Effect", "Action", "NotAction", "Resource", "Condition", "x");
        fc.assert(
            fc.property(
                fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue(), { minKeys: 1 }),
                key,
                fc.jsonValue(),
                fc.nat(),
                (statement, duplicated, value, at) => {
                    const entries = Object.entries({ ...statement, [duplicated]: 1 }).map(
                        ([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`,
                    );
                    entries.splice(
                        at % (entries.length + 1),
                        0,
                        `${JSON.stringify(duplicated)}:${JSON.stringify(value)}`,
                    );
                    const text = `{"Version":"1","Statement":[{${entries.join(",")}}]}`;
                    assert.deepStrictEqual(duplicates(text), [
                        `duplicate key ${JSON.stringify(duplicated)} in Statement[0]`,
                    ]);
                },
            ),
            { numRuns: 2000 },
        );
    });
});
