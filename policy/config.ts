// Configuration shared by several policies: the JSON schemas of their options (with defaults) and
// typed readers that tolerate config the schema would reject (policies never throw).
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { rotationLimits, secretsKeySpec } from "./facts";
import { defaultMaxRotationDays } from "./verdicts/rotation";

export const stringList = (
    description: string,
    defaults: string[] = [],
): PolicyConfigJSONSchema => ({
    type: "array",
    items: { type: "string", minLength: 1 },
    uniqueItems: true,
    default: defaults,
    description,
});

export const breakGlassPolicyNamesSchema = stringList(
    "Custom RAM policies allowed to grant cs:UpdateKMSEncryption (break-glass access).",
);

export const breakGlassPrincipalsSchema = stringList(
    'Principals allowed to hold cs:UpdateKMSEncryption without a Deny, as "user:<name>", "role:<name>" or "group:<name>".',
);

export const denyPolicyNamesSchema = stringList(
    "Custom RAM policies managed outside the stack that deny cs:UpdateKMSEncryption.",
);

export const externalKeyIdsSchema = stringList(
    "KMS key ids or ARNs managed outside the stack that clusters may be bound to.",
);

export const allowedKeySpecsSchema = stringList(
    "Key specs a cluster's Secret encryption key may have; ACK accepts only Aliyun_AES_256.",
    [secretsKeySpec],
);

const secondsPerDay = 24 * 60 * 60;
/** The rotation periods KMS allows any key type, in days (software keys in an instance: 7 to 365). */
const rotationDays = {
    min: rotationLimits.software!.minSeconds / secondsPerDay,
    max: rotationLimits.software!.maxSeconds / secondsPerDay,
};
/** maxRotationDays when the config does not set it: the longest period KMS allows. */
export { defaultMaxRotationDays };

export const maxRotationDaysSchema: PolicyConfigJSONSchema = {
    type: "integer",
    minimum: rotationDays.min,
    maximum: rotationDays.max,
    default: defaultMaxRotationDays,
    description: "The longest automatic rotation interval accepted, in days.",
};

/** A list of strings from config, ignoring anything else. */
export function configList(
    config: Record<string, unknown>,
    key: string,
    fallback: string[] = [],
): string[] {
    const value = config[key];
    return Array.isArray(value)
        ? value.filter((v): v is string => typeof v === "string")
        : fallback;
}

export function configInteger(
    config: Record<string, unknown>,
    key: string,
    fallback: number,
): number {
    const value = config[key];
    return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}
