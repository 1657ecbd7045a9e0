// The one way the shared layer says "not known yet": a value is read as Known<T>. The pack reads
// SDK proxies (policy/known.ts turns UnknownValueError into `unknown`), the report reads the
// engine's unknown sentinel, the components read Outputs; each adapter yields this same type, so a
// verdict built on it never has to know where a value came from. Imports nothing.

export type Known<T> = { known: true; value: T } | { known: false };

export const unknown: Known<never> = { known: false };

export function known<T>(value: T): Known<T> {
    return { known: true, value };
}

/**
 * What the engine puts where a value is not known yet (preview): in gRPC structs, in the values a
 * dynamic provider host receives, and as `pulumi.runtime.unknownValue` in the SDK (a test pins
 * that they are the same).
 */
export const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A value as the engine encodes it: its sentinel reads as unknown. */
export function knownFromEngine<T>(value: T): Known<T> {
    return value === (unknownSentinel as unknown) ? unknown : known(value);
}

/** A string value: undefined when absent or of another type; unknown stays unknown. */
export function asText(value: Known<unknown>): Known<string | undefined> {
    if (!value.known) {
        return value;
    }
    return known(typeof value.value === "string" ? value.value : undefined);
}
