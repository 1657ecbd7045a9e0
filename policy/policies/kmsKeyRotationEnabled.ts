// Rotating the key limits what one leaked key version exposes. Default keys rotate only every
// 365 days, software keys in a KMS instance every 7 to 365 days, HSM keys not automatically.
import { ResourceRemediation, StackValidationPolicy } from "@pulumi/policy";
import { boundKeyPairs } from "../bindings";
import { configInteger, maxRotationDaysSchema } from "../config";
import { enabled, KeyType, parseRotationInterval, resourceTypes, rotationLimits } from "../facts";
import { automaticRotationOf, keyTypeOfProps, rotationIntervalOf } from "../keyProperties";

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

/**
 * What is wrong with a key's rotation, as an instruction about `subject` (e.g. "the key of cluster
 * prod"), or undefined when it is fine or cannot be known.
 */
export function rotationProblem(
    props: Record<string, unknown>,
    maxRotationDays: number,
    subject = "this key",
): string | undefined {
    const type = keyTypeOfProps(props);
    if (!type.known || type.value === "hsm") {
        return undefined;
    }
    const days = allowedRotationDays(type.value, maxRotationDays);
    if (days === undefined) {
        return `Move ${subject} into a KMS instance (dkmsInstanceId) or raise maxRotationDays to 365: default keys rotate only every 365 days.`;
    }
    const rotation = automaticRotationOf(props);
    if (!rotation.known) {
        return undefined;
    }
    if (rotation.value !== enabled) {
        return `Set automaticRotation to Enabled on ${subject} with a rotationInterval of at most ${days}d.`;
    }
    const interval = rotationIntervalOf(props);
    if (!interval.known) {
        return undefined;
    }
    const seconds = interval.value ? parseRotationInterval(interval.value) : undefined;
    if (seconds === undefined || seconds > days * day) {
        return `Set rotationInterval to at most ${days}d on ${subject}${interval.value ? ` instead of ${interval.value}` : ""}.`;
    }
    return undefined;
}

/** Turns automatic rotation on, at the longest allowed interval, where the key type allows it. */
export const remediateRotation: ResourceRemediation = (args) => {
    if (args.type !== resourceTypes.kmsKey) {
        return undefined;
    }
    const props = args.props as Record<string, unknown>;
    const maxDays = configInteger(args.getConfig(), "maxRotationDays", 365);
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
        const maxDays = configInteger(args.getConfig(), "maxRotationDays", 365);
        for (const { binding, key } of boundKeyPairs(args.resources)) {
            const problem = rotationProblem(
                key.props,
                maxDays,
                `the key of cluster ${binding.cluster.name}`,
            );
            if (problem) {
                reportViolation(problem, key.urn);
            }
        }
    },
    remediateResource: remediateRotation,
};
