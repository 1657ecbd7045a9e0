// A three-valued answer for questions preview cannot always settle (is this granted, denied).

/** yes, no, or cannot be known during preview */
export type TriState = "yes" | "no" | "unknown";

export function and(a: TriState, b: TriState): TriState {
    if (a === "no" || b === "no") {
        return "no";
    }
    return a === "unknown" || b === "unknown" ? "unknown" : "yes";
}
