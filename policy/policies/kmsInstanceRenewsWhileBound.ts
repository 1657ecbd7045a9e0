// A subscription KMS instance stops serving its keys the moment it expires, and once released the
// data its keys encrypted cannot be decrypted: the instance of a bound key must renew itself.
import { ResourceRemediation, StackValidationPolicy } from "@pulumi/policy";
import { boundKeyPairs } from "../bindings";
import { resourceTypes } from "../facts";
import { instanceRenewalOfInputs, instancesOfKey } from "../kmsInstanceInputs";
import { autoRenewal, KmsInstanceRenewalVerdict } from "../kmsInstanceRenewal";
import { reportUncheckedInPreview } from "../notices";

/** Sets renewStatus to AutoRenewal where renewPeriod already says for how long. */
export const remediateInstanceRenewal: ResourceRemediation = (args) => {
    if (args.type !== resourceTypes.kmsInstance) {
        return undefined;
    }
    const props = args.props as Record<string, unknown>;
    const judged = instanceRenewalOfInputs(props);
    if (!("verdict" in judged) || judged.verdict.verdict !== "not-renewing") {
        return undefined;
    }
    // The renewal period is the owner's choice: without one the fix is ambiguous.
    if (typeof props.renewPeriod !== "number" || props.renewPeriod <= 0) {
        return undefined;
    }
    props.renewStatus = autoRenewal;
    return props;
};

/**
 * What to fix on an instance holding the key of `cluster`, or undefined when it renews itself or
 * is pay-as-you-go. Every other verdict is reported: what the pack cannot pass is no pass.
 */
export function renewalProblem(
    verdict: KmsInstanceRenewalVerdict,
    cluster: string,
): string | undefined {
    switch (verdict.verdict) {
        case "renews":
        case "pay-as-you-go":
            return undefined;
        case "not-renewing":
            return `Set renewStatus to ${autoRenewal} (with a renewPeriod) on this KMS instance instead of ${verdict.renewStatus}: it holds the key of ${cluster}, which stops decrypting Secrets when the subscription ends.`;
        case "unreadable":
            return `Set paymentType to Subscription or PayAsYouGo on this KMS instance: ${verdict.problems.join("; ")}, so its renewal cannot be judged.`;
        default:
            // expired, expiring, and any verdict added later: fail closed.
            return `Set renewStatus to ${autoRenewal} (with a renewPeriod) on this KMS instance and renew it: its subscription is ${verdict.verdict}, and it holds the key of ${cluster}, which stops decrypting Secrets when the subscription ends.`;
    }
}

export const kmsInstanceRenewsWhileBound: StackValidationPolicy & {
    remediateResource: ResourceRemediation;
} = {
    name: "kms-instance-renews-while-bound",
    description:
        "The KMS instance (alicloud.kms.Instance) of a key bound to an ACK cluster renews automatically.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const seen = new Set<string>();
        for (const { binding, key } of boundKeyPairs(args.resources)) {
            for (const instance of instancesOfKey(key)) {
                if (seen.has(instance.urn)) {
                    continue;
                }
                seen.add(instance.urn);
                const judged = instanceRenewalOfInputs(instance.props);
                if ("unknownInput" in judged) {
                    reportUncheckedInPreview(
                        reportViolation,
                        judged.unknownInput,
                        `KMS instance ${instance.name}`,
                        instance.urn,
                    );
                    continue;
                }
                const problem = renewalProblem(judged.verdict, binding.clusterLabel);
                if (problem) {
                    reportViolation(problem, instance.urn);
                }
            }
        }
    },
    remediateResource: remediateInstanceRenewal,
};
