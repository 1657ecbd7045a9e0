// Reading values that may be unknown during preview. The SDK's proxy throws UnknownValueError on
// reading an unknown; a check catches it per value so one unknown never hides other findings.
import { UnknownValueError } from "@pulumi/policy";
import { Known, unknown } from "./verdicts/known";

export { Known, unknown } from "./verdicts/known";

/** Runs `read`; an unknown value anywhere in it yields `{ known: false }`. Other errors propagate. */
export function tryRead<T>(read: () => T): Known<T> {
    try {
        return { known: true, value: read() };
    } catch (e) {
        if (e instanceof UnknownValueError) {
            return unknown;
        }
        throw e;
    }
}

/** A string property: undefined when absent or not a string, `{ known: false }` when unknown. */
export function readString(props: Record<string, unknown>, key: string): Known<string | undefined> {
    return tryRead(() => {
        const value = props[key];
        return typeof value === "string" ? value : undefined;
    });
}

/** Deep copy into plain data, so later reads cannot throw; unknown anywhere yields `{ known: false }`. */
export function readPlain(props: Record<string, unknown>, key: string): Known<unknown> {
    return tryRead(() => plainCopy(props[key]));
}

function plainCopy(value: unknown): unknown {
    if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
            out.push(plainCopy(value[i]));
        }
        return out;
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
            out[key] = plainCopy((value as Record<string, unknown>)[key]);
        }
        return out;
    }
    return value;
}
