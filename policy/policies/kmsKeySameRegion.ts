// ACK calls KMS in the cluster's own region: a key elsewhere cannot encrypt its Secrets.
import { StackValidationPolicy } from "@pulumi/policy";
import { encryptedClusterBindings, providerRegion } from "../bindings";
import { regionFromKeyArn } from "../facts";
import { readString } from "../known";

export const kmsKeySameRegion: StackValidationPolicy = {
    name: "kms-key-same-region",
    description: "The KMS key bound to an ACK cluster is in the cluster's region.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const binding of encryptedClusterBindings(args.resources)) {
            const clusterRegion = providerRegion(binding.cluster);
            if (!clusterRegion) {
                continue;
            }
            const cluster = binding.cluster.name;
            for (const key of binding.keys) {
                const arn = readString(key.props, "arn");
                const keyRegion =
                    providerRegion(key) ??
                    (arn.known && arn.value ? regionFromKeyArn(arn.value) : undefined);
                if (keyRegion && keyRegion !== clusterRegion) {
                    reportViolation(
                        `Create this key in ${clusterRegion}, the region of cluster ${cluster}, instead of ${keyRegion}.`,
                        key.urn,
                    );
                }
            }
            for (const guard of binding.guards) {
                if (
                    guard.regionId.known &&
                    guard.regionId.value &&
                    guard.regionId.value !== clusterRegion
                ) {
                    reportViolation(
                        `Set regionId to ${clusterRegion}, the region of cluster ${cluster}, instead of ${guard.regionId.value}.`,
                        guard.resource.urn,
                    );
                }
            }
            if (binding.keys.length === 0 && binding.keyRef.known && binding.keyRef.value) {
                const keyRegion = regionFromKeyArn(binding.keyRef.value);
                if (keyRegion && keyRegion !== clusterRegion) {
                    reportViolation(
                        `Bind cluster ${cluster} to a key in ${clusterRegion} instead of one in ${keyRegion}.`,
                        binding.cluster.urn,
                    );
                }
            }
        }
    },
};
