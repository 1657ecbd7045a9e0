// The one way the shared layer says "not known yet": a value is read as Known<T>. The pack reads
// SDK proxies (policy/known.ts turns UnknownValueError into `unknown`), the report reads the
// engine's unknown sentinel, the components read Outputs; each adapter yields this same type, so a
// verdict built on it never has to know where a value came from. Imports nothing.

export type Known<T> = { known: true; value: T } | { known: false };

export const unknown: Known<never> = { known: false };

export function known<T>(value: T): Known<T> {
    return { known: true, value };
}

/** A string value: undefined when absent or of another type; unknown stays unknown. */
export function asText(value: Known<unknown>): Known<string | undefined> {
    if (!value.known) {
        return value;
    }
    return known(typeof value.value === "string" ? value.value : undefined);
}
