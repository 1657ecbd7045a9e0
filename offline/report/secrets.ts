// Secrets in the reports: a value the program or the stack config marks secret is written
// `[secret]` in every report (text, JSON, SARIF) and graph, never in plain text. The reports are
// built from names, types and URNs; the few values they carry (a cluster's literal key id, the
// pack's violation messages, which see secrets unwrapped, as under the engine) go through here.
import { redactTexts, secretText } from "../../components/providers/redaction";
import { secretSignatureKey, secretSignatureValue } from "../engineValues";

export { secretText };

/** Whether the value carries the engine's secret wrapper. */
export function isSecret(value: unknown): boolean {
    return (
        typeof value === "object" &&
        value !== null &&
        (value as Record<string, unknown>)[secretSignatureKey] === secretSignatureValue
    );
}

/**
 * Every plain string (and number) inside a secret wrapper of these values, longest first, so a
 * secret that contains another is replaced whole. Values shorter than 4 characters ("1", "yes")
 * are left out: replacing them would garble messages and hide nothing worth hiding.
 */
export function secretStrings(values: unknown[]): string[] {
    const found = new Set<string>();
    const collect = (value: unknown, inSecret: boolean): void => {
        if (Array.isArray(value)) {
            value.forEach((v) => collect(v, inSecret));
        } else if (typeof value === "object" && value !== null) {
            const secret = inSecret || isSecret(value);
            for (const [key, inner] of Object.entries(value)) {
                if (key !== secretSignatureKey) collect(inner, secret);
            }
        } else if (inSecret && (typeof value === "string" || typeof value === "number")) {
            const text = String(value);
            if (text.length >= 4) found.add(text);
            // The engine's JSON form of a structured secret also reaches packs as text.
        }
    };
    values.forEach((v) => collect(v, false));
    return [...found].sort((a, b) => b.length - a.length);
}

/** The text with every occurrence of a secret replaced by `[secret]` (components/providers/redaction.ts). */
export function redact(text: string, secrets: string[]): string {
    return redactTexts(secrets, text);
}
