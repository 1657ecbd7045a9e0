// The provider server hands a served resource's secret properties over still wrapped (the ack-kms
// provider accepts secrets), while its operations, the dynamic provider's own, read plain values:
// for a dynamic provider the engine unwraps them. Each call's properties are unwrapped on the way
// in, and the same-named properties of its answer wrapped again on the way out, as the engine
// marks a dynamic resource's outputs, so a secret input stays a secret in the state.
import { secret, unwrapSecret } from "../offline/engineValues";

type Props = Record<string, unknown>;

/** `value` with every secret wrapper inside it removed. */
function plainValue(value: unknown): unknown {
    const unwrapped = unwrapSecret(value);
    if (Array.isArray(unwrapped)) return unwrapped.map(plainValue);
    if (typeof unwrapped === "object" && unwrapped !== null) {
        return Object.fromEntries(
            Object.entries(unwrapped).map(([key, inner]) => [key, plainValue(inner)]),
        );
    }
    return unwrapped;
}

/** The properties as plain values, and the names of those that held a secret. */
export function plainProps(props: Props | undefined): { plain: Props; secretNames: Set<string> } {
    const plain: Props = {};
    const secretNames = new Set<string>();
    for (const [name, value] of Object.entries(props ?? {})) {
        const unwrapped = plainValue(value);
        if (JSON.stringify(unwrapped) !== JSON.stringify(value)) secretNames.add(name);
        plain[name] = unwrapped;
    }
    return { plain, secretNames };
}

/** The answer's properties with those named in any of `secretNames` wrapped as secrets again. */
export function secretAgain<T extends Props | undefined>(
    props: T,
    ...secretNames: Array<Set<string>>
): T {
    if (!props) return props;
    const names = new Set(secretNames.flatMap((set) => [...set]));
    return Object.fromEntries(
        Object.entries(props).map(([name, value]) => [
            name,
            names.has(name) && value !== undefined ? secret(value) : value,
        ]),
    ) as T;
}
