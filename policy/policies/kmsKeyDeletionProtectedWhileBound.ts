// A key that encrypts a cluster's Secrets must not be deletable or disabled: losing it makes every
// Secret of the cluster unreadable.
import { ResourceRemediation, StackValidationPolicy } from "@pulumi/policy";
import { boundKeyPairs } from "../bindings";
import { enabled, keyStates, resourceTypes } from "../facts";
import { deletionProtectionOf, keyStatusOf } from "../keyProperties";
import { readString } from "../known";
import { reportUncheckedInPreview } from "../notices";

export const deletionProtectionDescription =
    "Turned on by the ack-kms-policies policy pack: the key may encrypt ACK Secrets.";

/** Turns deletion protection on for a KMS key; unknown or already on leaves it alone. */
export const remediateDeletionProtection: ResourceRemediation = (args) => {
    if (args.type !== resourceTypes.kmsKey) {
        return undefined;
    }
    const props = args.props as Record<string, unknown>;
    const protection = deletionProtectionOf(props);
    if (!protection.known || protection.value === enabled) {
        return undefined;
    }
    const description = readString(props, "deletionProtectionDescription");
    // The proxy has no set trap, so assignments reach the inputs and unknowns elsewhere stay as they are.
    props.deletionProtection = enabled;
    if (description.known && !description.value) {
        props.deletionProtectionDescription = deletionProtectionDescription;
    }
    return props;
};

export const kmsKeyDeletionProtectedWhileBound: StackValidationPolicy & {
    remediateResource: ResourceRemediation;
} = {
    name: "kms-key-deletion-protected-while-bound",
    description:
        "A KMS key bound to an ACK cluster has deletion protection on, status Enabled and protect: true.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const { binding, key } of boundKeyPairs(args.resources)) {
            const cluster = binding.clusterLabel;
            const protection = deletionProtectionOf(key.props);
            if (!protection.known) {
                reportUncheckedInPreview(
                    reportViolation,
                    "deletionProtection",
                    `key ${key.name}`,
                    key.urn,
                );
            } else if (protection.value !== enabled) {
                reportViolation(
                    `Set deletionProtection to Enabled on this key: ${cluster} encrypts its Secrets with it.`,
                    key.urn,
                );
            }
            const status = keyStatusOf(key.props);
            if (!status.known) {
                reportUncheckedInPreview(reportViolation, "status", `key ${key.name}`, key.urn);
            } else if (status.value !== keyStates.enabled) {
                reportViolation(
                    status.value === keyStates.pendingDeletion
                        ? `Cancel the deletion of this key and set its status to Enabled: ${cluster} cannot read its Secrets without it.`
                        : `Set this key's status to Enabled instead of ${status.value}: ${cluster} cannot read its Secrets without it.`,
                    key.urn,
                );
            }
            if (key.opts.protect !== true) {
                reportViolation(
                    `Give this key the resource option protect: true: ${cluster} encrypts its Secrets with it.`,
                    key.urn,
                );
            }
        }
    },
    remediateResource: remediateDeletionProtection,
};
