// Rotating the key limits what one leaked key version exposes. Default keys rotate only every
// 365 days, software keys in a KMS instance every 7 to 365 days, HSM keys not automatically.
import { ResourceRemediation, StackValidationPolicy } from "@pulumi/policy";
import { boundKeyPairs } from "../bindings";
import { configInteger, defaultMaxRotationDays, maxRotationDaysSchema } from "../config";
import { enabled, KeyType, parseRotationInterval, resourceTypes, rotationLimits } from "../facts";
import { automaticRotationOf, keyTypeOfProps, rotationIntervalOf } from "../keyProperties";
import { readString } from "../known";
import { reportUncheckedInPreview } from "../notices";

const day = 24 * 60 * 60;

/** The longest interval allowed for a key type under `maxRotationDays`; undefined when none fits. */
export function allowedRotationDays(type: KeyType, maxRotationDays: number): number | undefined {
    const limits = rotationLimits[type];
    if (!limits) {
        return undefined;
    }
    const days = Math.min(maxRotationDays, Math.floor(limits.maxSeconds / day));
    return days * day >= limits.minSeconds ? days : undefined;
}

/** A key's rotation: a problem to report, the input that is unknown in preview, or neither when fine. */
export type RotationVerdict = { problem: string } | { unknownInput: string } | undefined;

/**
 * What is wrong with a key's rotation, as an instruction about `subject` (e.g. "the key of cluster
 * prod"); or which input decides it but is unknown (preview); undefined when it is fine.
 */
export function rotationVerdict(
    props: Record<string, unknown>,
    maxRotationDays: number,
    subject = "this key",
): RotationVerdict {
    const type = keyTypeOfProps(props);
    if (!type.known) {
        return {
            unknownInput: readString(props, "protectionLevel").known
                ? "dkmsInstanceId"
                : "protectionLevel",
        };
    }
    if (type.value === "hsm") {
        return undefined;
    }
    const days = allowedRotationDays(type.value, maxRotationDays);
    if (days === undefined) {
        return {
            problem: `Move ${subject} into a KMS instance (dkmsInstanceId) or raise maxRotationDays to 365: default keys rotate only every 365 days.`,
        };
    }
    const rotation = automaticRotationOf(props);
    if (!rotation.known) {
        return { unknownInput: "automaticRotation" };
    }
    if (rotation.value !== enabled) {
        return {
            problem: `Set automaticRotation to Enabled on ${subject} with a rotationInterval of at most ${days}d.`,
        };
    }
    const interval = rotationIntervalOf(props);
    if (!interval.known) {
        return { unknownInput: "rotationInterval" };
    }
    const seconds = interval.value ? parseRotationInterval(interval.value) : undefined;
    if (seconds === undefined || seconds > days * day) {
        return {
            problem: `Set rotationInterval to at most ${days}d on ${subject}${interval.value ? ` instead of ${interval.value}` : ""}.`,
        };
    }
    return undefined;
}

/** What is wrong with a key's rotation; undefined when it is fine or cannot be known. */
export function rotationProblem(
    props: Record<string, unknown>,
    maxRotationDays: number,
    subject = "this key",
): string | undefined {
    const verdict = rotationVerdict(props, maxRotationDays, subject);
    return verdict && "problem" in verdict ? verdict.problem : undefined;
}

/** Turns automatic rotation on, at the longest allowed interval, where the key type allows it. */
export const remediateRotation: ResourceRemediation = (args) => {
    if (args.type !== resourceTypes.kmsKey) {
        return undefined;
    }
    const props = args.props as Record<string, unknown>;
    const maxDays = configInteger(args.getConfig(), "maxRotationDays", defaultMaxRotationDays);
    if (!rotationProblem(props, maxDays)) {
        return undefined;
    }
    const type = keyTypeOfProps(props);
    const days = type.known ? allowedRotationDays(type.value, maxDays) : undefined;
    if (days === undefined) {
        return undefined;
    }
    props.automaticRotation = enabled;
    props.rotationInterval = `${days}d`;
    return props;
};

export const kmsKeyRotationEnabled: StackValidationPolicy & {
    remediateResource: ResourceRemediation;
} = {
    name: "kms-key-rotation-enabled",
    description:
        "The KMS key bound to an ACK cluster rotates automatically within maxRotationDays, where its key type allows rotation.",
    enforcementLevel: "advisory",
    configSchema: { properties: { maxRotationDays: maxRotationDaysSchema } },
    validateStack: (args, reportViolation) => {
        const maxDays = configInteger(args.getConfig(), "maxRotationDays", defaultMaxRotationDays);
        for (const { binding, key } of boundKeyPairs(args.resources)) {
            const verdict = rotationVerdict(
                key.props,
                maxDays,
                `the key of ${binding.clusterLabel}`,
            );
            if (verdict && "problem" in verdict) {
                reportViolation(verdict.problem, key.urn);
            } else if (verdict) {
                reportUncheckedInPreview(
                    reportViolation,
                    verdict.unknownInput,
                    `key ${key.name}`,
                    key.urn,
                );
            }
        }
    },
    remediateResource: remediateRotation,
};
