// Policies never see deletions: a cluster still bound to a key that left the program is what a
// deleted (or about to be deleted) key looks like.
import { StackValidationPolicy } from "@pulumi/policy";
import { encryptedClusterBindings, sameKey } from "../bindings";
import { configList, externalKeyIdsSchema } from "../config";
import { reportUncheckedInPreview } from "../notices";

export const kmsBoundKeyPresent: StackValidationPolicy = {
    name: "kms-bound-key-present",
    description:
        "The KMS key an ACK cluster is bound to is in the stack, guarded by a KeyDeletionGuard, or listed in externalKeyIds.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { externalKeyIds: externalKeyIdsSchema } },
    validateStack: (args, reportViolation) => {
        const external = configList(args.getConfig(), "externalKeyIds");
        for (const binding of encryptedClusterBindings(args.resources)) {
            if (binding.keys.length > 0 || binding.guards.length > 0) {
                continue;
            }
            const ref = binding.keyRef;
            if (!ref.known) {
                // No propertyDependencies name the key: which key it is is known only on update.
                reportUncheckedInPreview(
                    reportViolation,
                    `the KMS key (${binding.keyInput})`,
                    binding.resourceLabel,
                    binding.cluster.urn,
                );
                continue;
            }
            if (!ref.value) {
                continue;
            }
            const keyId = ref.value;
            if (external.some((id) => sameKey(keyId, id))) {
                continue;
            }
            reportViolation(
                `Keep KMS key "${keyId}" in the stack, guard it with a KeyDeletionGuard, or list it in externalKeyIds: ${binding.clusterLabel} cannot read its Secrets without it.`,
                binding.cluster.urn,
            );
        }
    },
};
