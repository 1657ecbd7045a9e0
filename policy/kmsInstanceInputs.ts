// The renewal of a KMS instance of the stack, read from its inputs and judged by the shared rule
// (policy/kmsInstanceRenewal.ts). A key finds its instance through `propertyDependencies` of
// `dkmsInstanceId`: stack policies get no ids, so a literal id links no instance of the stack.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes } from "./facts";
import { Known, readString } from "./known";
import { kmsInstanceRenewalVerdict, KmsInstanceRenewalVerdict } from "./kmsInstanceRenewal";

/** The instances of the stack a key's `dkmsInstanceId` is computed from. */
export function instancesOfKey(key: PolicyResource): PolicyResource[] {
    const deps = key.propertyDependencies as Record<string, PolicyResource[] | undefined>;
    return (deps.dkmsInstanceId ?? []).filter((r) => r.type === resourceTypes.kmsInstance);
}

/**
 * The end date of an instance is known only to the live instance (audit reads it); in the stack
 * the renewal setting decides alone, so the shared verdict is asked with an end far ahead.
 */
const farAhead = "9999-12-31T00:00:00Z";

/** What the provider assumes for `paymentType` left unset: a subscription, which can expire. */
export const defaultPaymentType = "Subscription";

/** The verdict on an instance's renewal inputs, or the input that is unknown in preview. */
export function instanceRenewalOfInputs(
    props: Record<string, unknown>,
): { verdict: KmsInstanceRenewalVerdict } | { unknownInput: string } {
    const paymentType = readString(props, "paymentType");
    if (!paymentType.known) {
        return { unknownInput: "paymentType" };
    }
    const renewStatus: Known<string | undefined> = readString(props, "renewStatus");
    if (!renewStatus.known) {
        return { unknownInput: "renewStatus" };
    }
    return {
        verdict: kmsInstanceRenewalVerdict(
            {
                paymentType: paymentType.value || defaultPaymentType,
                // Unset means the provider's default, manual renewal: not a renewal at all.
                renewStatus: renewStatus.value || "ManualRenewal",
                endDate: farAhead,
            },
            new Date(),
        ),
    };
}
