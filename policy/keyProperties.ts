// The properties of an `alicloud:kms/key:Key` that the key policies judge, with the provider's
// defaults for inputs left unset. Each one is read on its own, so an unknown hides only itself.
import { kmsKeyDefaults, keyTypeOf, KeyType } from "./facts";
import { Known, readString } from "./known";

function withDefault(value: Known<string | undefined>, fallback: string): Known<string> {
    if (!value.known) {
        return value;
    }
    return { known: true, value: value.value || fallback };
}

export function keySpecOf(props: Record<string, unknown>): Known<string> {
    return withDefault(readString(props, "keySpec"), kmsKeyDefaults.keySpec);
}

export function keyUsageOf(props: Record<string, unknown>): Known<string> {
    return withDefault(readString(props, "keyUsage"), kmsKeyDefaults.keyUsage);
}

/** `status`, or the deprecated `keyState`. */
export function keyStatusOf(props: Record<string, unknown>): Known<string> {
    const status = readString(props, "status");
    if (!status.known || status.value) {
        return withDefault(status, kmsKeyDefaults.status);
    }
    return withDefault(readString(props, "keyState"), kmsKeyDefaults.status);
}

export function deletionProtectionOf(props: Record<string, unknown>): Known<string> {
    return withDefault(readString(props, "deletionProtection"), kmsKeyDefaults.deletionProtection);
}

export function automaticRotationOf(props: Record<string, unknown>): Known<string> {
    return withDefault(readString(props, "automaticRotation"), kmsKeyDefaults.automaticRotation);
}

export function rotationIntervalOf(props: Record<string, unknown>): Known<string | undefined> {
    return readString(props, "rotationInterval");
}

/** default (no KMS instance), software (in an instance) or hsm; unknown while either input is. */
export function keyTypeOfProps(props: Record<string, unknown>): Known<KeyType> {
    const level = readString(props, "protectionLevel");
    const instance = readString(props, "dkmsInstanceId");
    if (!level.known) {
        return level;
    }
    if ((level.value ?? "").toUpperCase() === "HSM") {
        return { known: true, value: "hsm" };
    }
    if (!instance.known) {
        return instance;
    }
    return { known: true, value: keyTypeOf(level.value, instance.value) };
}
