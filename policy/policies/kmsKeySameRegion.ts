// ACK calls KMS in the cluster's own region: a key elsewhere cannot encrypt its Secrets.
import { StackValidationPolicy } from "@pulumi/policy";
import { encryptedClusterBindings, providerRegionInput, providerRegionOf } from "../bindings";
import { regionFromKeyArn } from "../facts";
import { readString } from "../known";
import { reportUncheckedInPreview } from "../notices";

export const kmsKeySameRegion: StackValidationPolicy = {
    name: "kms-key-same-region",
    description: "The KMS key bound to an ACK cluster is in the cluster's region.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const binding of encryptedClusterBindings(args.resources)) {
            const cluster = binding.clusterLabel;
            const clusterRegion = binding.region;
            if (!clusterRegion.known) {
                reportUncheckedInPreview(
                    reportViolation,
                    binding.regionInput,
                    binding.resourceLabel,
                    binding.cluster.urn,
                );
                continue;
            }
            if (!clusterRegion.value) {
                continue;
            }
            const region = clusterRegion.value;
            for (const key of binding.keys) {
                const arn = readString(key.props, "arn");
                const arnRegion = arn.known && arn.value ? regionFromKeyArn(arn.value) : undefined;
                const keyProviderRegion = providerRegionOf(key);
                if (!keyProviderRegion.known && !arnRegion) {
                    reportUncheckedInPreview(
                        reportViolation,
                        providerRegionInput,
                        `key ${key.name}`,
                        key.urn,
                    );
                    continue;
                }
                const keyRegion =
                    (keyProviderRegion.known ? keyProviderRegion.value : undefined) ?? arnRegion;
                if (keyRegion && keyRegion !== region) {
                    reportViolation(
                        `Create this key in ${region}, the region of ${cluster}, instead of ${keyRegion}.`,
                        key.urn,
                    );
                }
            }
            for (const guard of binding.guards) {
                if (!guard.regionId.known) {
                    reportUncheckedInPreview(
                        reportViolation,
                        "regionId",
                        `key deletion guard ${guard.resource.name}`,
                        guard.resource.urn,
                    );
                } else if (guard.regionId.value && guard.regionId.value !== region) {
                    reportViolation(
                        `Set regionId to ${region}, the region of ${cluster}, instead of ${guard.regionId.value}.`,
                        guard.resource.urn,
                    );
                }
            }
            if (binding.keys.length === 0 && binding.keyRef.known && binding.keyRef.value) {
                const keyRegion = regionFromKeyArn(binding.keyRef.value);
                if (keyRegion && keyRegion !== region) {
                    reportViolation(
                        `Bind ${cluster} to a key in ${region} instead of one in ${keyRegion}.`,
                        binding.cluster.urn,
                    );
                }
            }
        }
    },
};
