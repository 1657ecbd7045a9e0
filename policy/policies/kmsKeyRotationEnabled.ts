// Rotating the key limits what one leaked key version exposes. Default keys rotate only every
// 365 days, software keys in a KMS instance every 7 to 365 days, HSM keys not automatically.
import { ResourceRemediation, StackValidationPolicy } from "@pulumi/policy";
import { boundKeyPairs } from "../bindings";
import { configInteger, defaultMaxRotationDays, maxRotationDaysSchema } from "../config";
import { enabled, resourceTypes } from "../facts";
import { automaticRotationOf, keyTypeOfProps, rotationIntervalOf } from "../keyProperties";
import { readString } from "../known";
import { reportUncheckedInPreview } from "../notices";
import { allowedRotationDays, judgeRotation } from "../verdicts/rotation";

export { allowedRotationDays };

/** A key's rotation: a problem to report, the input that is unknown in preview, or neither when fine. */
export type RotationVerdict = { problem: string } | { unknownInput: string } | undefined;

/**
 * What is wrong with a key's rotation, as an instruction about `subject` (e.g. "the key of cluster
 * prod"); or which input decides it but is unknown (preview); undefined when it is fine. The
 * judgement is the shared one (verdicts/rotation.ts); this only words it.
 */
export function rotationVerdict(
    props: Record<string, unknown>,
    maxRotationDays: number,
    subject = "this key",
): RotationVerdict {
    const judged = judgeRotation({
        keyType: keyTypeOfProps(props),
        automaticRotation: automaticRotationOf(props),
        rotationInterval: rotationIntervalOf(props),
        maxRotationDays,
    });
    switch (judged.verdict) {
        case "rotates":
        case "cannotRotate":
            return undefined;
        case "unknown":
            return {
                unknownInput:
                    judged.input !== "keyType"
                        ? judged.input
                        : readString(props, "protectionLevel").known
                          ? "dkmsInstanceId"
                          : "protectionLevel",
            };
        case "noFit":
            return {
                problem: `Move ${subject} into a KMS instance (dkmsInstanceId) or raise maxRotationDays to 365: default keys rotate only every 365 days.`,
            };
        case "off":
            return {
                problem: `Set automaticRotation to Enabled on ${subject} with a rotationInterval of at most ${judged.maxDays}d.`,
            };
        case "tooShort":
            return {
                problem: `Set rotationInterval to ${judged.minDays}d to ${judged.maxDays}d on ${subject} instead of ${judged.interval}: KMS refuses a shorter one for this key type.`,
            };
        case "unreadable":
        case "tooLong":
            return {
                problem: `Set rotationInterval to at most ${judged.maxDays}d on ${subject}${judged.interval ? ` instead of ${judged.interval}` : ""}.`,
            };
    }
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
