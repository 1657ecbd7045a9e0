// Is a key's automatic rotation acceptable? Judged once here; SecretsEncryptionKey (at
// construction), the pack's kms-key-rotation-enabled and `ack-kms verify` only word the verdict.
// Before, verify ignored the minimum and passed an interval it could not parse or did not get, and
// the pack ignored the minimum: KMS refuses an interval outside the key type's range, so such a key
// is not rotating as the program says.
import { enabled, KeyType, parseRotationInterval, rotationLimits } from "../facts";
import { Known } from "./known";

const day = 24 * 60 * 60;

/** The longest rotation KMS allows any key, in days: what `maxRotationDays` defaults to. */
export const defaultMaxRotationDays = rotationLimits.software!.maxSeconds / day;

/** What a key's rotation looks like to the one who judges it. */
export interface RotationFacts {
    /** default, software or hsm (see facts.keyTypeOf). */
    keyType: Known<KeyType>;
    /** `automaticRotation` (Enabled, Disabled, Suspended, ...); undefined reads as Disabled. */
    automaticRotation: Known<string | undefined>;
    /** The interval as given (`365d`, `31536000s`); undefined when absent. */
    rotationInterval: Known<string | undefined>;
    /** The longest interval accepted, in days. Defaults to the longest KMS allows. */
    maxRotationDays?: number;
}

export type RotationVerdict =
    /** Rotates within the limits. */
    | { verdict: "rotates"; seconds: number }
    /** The key type cannot rotate automatically (HSM keys). */
    | { verdict: "cannotRotate" }
    /** No interval of this key type fits under maxRotationDays (default keys rotate only yearly). */
    | { verdict: "noFit"; keyType: KeyType }
    /** Rotation is off where the key type allows it. */
    | { verdict: "off"; automaticRotation: string; maxDays: number }
    /** The interval is absent or not `<n>d|h|m|s`. */
    | { verdict: "unreadable"; interval: string | undefined; maxDays: number }
    /** Shorter than the key type allows: KMS refuses it. */
    | { verdict: "tooShort"; interval: string; minDays: number; maxDays: number }
    /** Longer than the key type or maxRotationDays allows. */
    | { verdict: "tooLong"; interval: string; minDays: number; maxDays: number }
    /** An input that decides the verdict is not known yet (preview). */
    | { verdict: "unknown"; input: "keyType" | "automaticRotation" | "rotationInterval" };

/** The longest interval allowed for a key type under `maxRotationDays`; undefined when none fits. */
export function allowedRotationDays(
    type: KeyType,
    maxRotationDays = defaultMaxRotationDays,
): number | undefined {
    const limits = rotationLimits[type];
    if (!limits) {
        return undefined;
    }
    const days = Math.min(maxRotationDays, Math.floor(limits.maxSeconds / day));
    return days * day >= limits.minSeconds ? days : undefined;
}

/** The rotation verdict for a key: see RotationVerdict. */
export function judgeRotation(facts: RotationFacts): RotationVerdict {
    if (!facts.keyType.known) {
        return { verdict: "unknown", input: "keyType" };
    }
    const limits = rotationLimits[facts.keyType.value];
    if (!limits) {
        return { verdict: "cannotRotate" };
    }
    const maxDays = allowedRotationDays(facts.keyType.value, facts.maxRotationDays);
    if (maxDays === undefined) {
        return { verdict: "noFit", keyType: facts.keyType.value };
    }
    if (!facts.automaticRotation.known) {
        return { verdict: "unknown", input: "automaticRotation" };
    }
    const automaticRotation = facts.automaticRotation.value ?? "Disabled";
    if (automaticRotation !== enabled) {
        return { verdict: "off", automaticRotation, maxDays };
    }
    if (!facts.rotationInterval.known) {
        return { verdict: "unknown", input: "rotationInterval" };
    }
    const interval = facts.rotationInterval.value;
    const seconds = interval ? parseRotationInterval(interval) : undefined;
    if (interval === undefined || seconds === undefined) {
        return { verdict: "unreadable", interval, maxDays };
    }
    const minDays = Math.ceil(limits.minSeconds / day);
    if (seconds < limits.minSeconds) {
        return { verdict: "tooShort", interval, minDays, maxDays };
    }
    if (seconds > maxDays * day) {
        return { verdict: "tooLong", interval, minDays, maxDays };
    }
    return { verdict: "rotates", seconds };
}
