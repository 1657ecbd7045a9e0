// ramActionMatches (a regular expression) against an independent reference: a dynamic-programming
// glob matcher written from RAM's rules (`*` any run of characters, `?` exactly one, letters
// compared without case), over 10,000 generated pattern/action pairs.
import * as assert from "assert";
import * as fc from "fast-check";
import { ramActionMatches, updateKmsEncryptionAction } from "../../policy/facts";

function sameLetter(a: string, b: string): boolean {
    return a === b || a.toLowerCase() === b.toLowerCase();
}

/** Reference: matched[i][j] = pattern[0..i) matches action[0..j). */
function referenceMatch(pattern: string, action: string): boolean {
    const p = [...pattern];
    const a = [...action];
    let previous = new Array<boolean>(a.length + 1).fill(false);
    previous[0] = true;
    for (let i = 1; i <= p.length; i++) {
        const current = new Array<boolean>(a.length + 1).fill(false);
        current[0] = previous[0] && p[i - 1] === "*";
        for (let j = 1; j <= a.length; j++) {
            const c = p[i - 1];
            if (c === "*") {
                current[j] = previous[j] || current[j - 1];
            } else if (c === "?") {
                current[j] = previous[j - 1];
            } else {
                current[j] = previous[j - 1] && sameLetter(c, a[j - 1]);
            }
        }
        previous = current;
    }
    return previous[a.length];
}

// Letters, digits, RAM's separators and every character a regular expression treats specially.
const alphabet = [..."csCSuUkKmMeE:*?.+()[]{}^$|\\/-_ \n0"];
const text = (chars: string[], maxLength: number) =>
    fc.array(fc.constantFrom(...chars), { maxLength }).map((cs) => cs.join(""));

/** Patterns derived from the real action: letters re-cased, runs replaced by `*` or `?`. */
const derivedPattern = fc
    .array(
        fc.record({
            start: fc.nat(updateKmsEncryptionAction.length),
            length: fc.nat(6),
            replacement: fc.constantFrom("*", "?", "", "??", "**", "x"),
        }),
        { maxLength: 3 },
    )
    .chain((edits) =>
        fc
            .array(fc.boolean(), {
                minLength: updateKmsEncryptionAction.length,
                maxLength: updateKmsEncryptionAction.length,
            })
            .map((upper) => {
                let pattern = [...updateKmsEncryptionAction]
                    .map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase()))
                    .join("");
                for (const edit of edits) {
                    const start = Math.min(edit.start, pattern.length);
                    pattern =
                        pattern.slice(0, start) +
                        edit.replacement +
                        pattern.slice(start + edit.length);
                }
                return pattern;
            }),
    );

describe("facts.ramActionMatches (property)", () => {
    it("agrees with a reference glob matcher on 10,000 patterns and actions", () => {
        let matches = 0;
        fc.assert(
            fc.property(
                fc.oneof(derivedPattern, text(alphabet, 12)),
                fc.oneof(fc.constant(updateKmsEncryptionAction), text(alphabet, 10)),
                (pattern, action) => {
                    const expected = referenceMatch(pattern, action);
                    if (expected) {
                        matches++;
                    }
                    assert.strictEqual(ramActionMatches(pattern, action), expected);
                },
            ),
            { numRuns: 10_000, seed: 20261129 },
        );
        // The generators must exercise both outcomes, or the comparison proves little.
        assert.ok(matches > 1_000, `only ${matches} matching pairs`);
    });

    it("the reference itself follows RAM's rules on known cases", () => {
        assert.strictEqual(referenceMatch("cs:*", "cs:UpdateKMSEncryption"), true);
        assert.strictEqual(
            referenceMatch("CS:UPDATE?MSENCRYPTION", "cs:UpdateKMSEncryption"),
            true,
        );
        assert.strictEqual(referenceMatch("cs:?", "cs:UpdateKMSEncryption"), false);
        assert.strictEqual(referenceMatch("cs.Update*", "cs:UpdateKMSEncryption"), false);
        assert.strictEqual(referenceMatch("", ""), true);
        assert.strictEqual(referenceMatch("*", ""), true);
    });
});
