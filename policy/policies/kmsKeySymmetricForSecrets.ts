// ACK encrypts Secrets only with a symmetric Aliyun_AES_256 key used for ENCRYPT/DECRYPT.
import { StackValidationPolicy } from "@pulumi/policy";
import { boundKeyPairs } from "../bindings";
import { allowedKeySpecsSchema, configList } from "../config";
import { secretsKeySpec, secretsKeyUsage } from "../facts";
import { keySpecOf, keyUsageOf } from "../keyProperties";
import { reportUncheckedInPreview } from "../notices";

export const kmsKeySymmetricForSecrets: StackValidationPolicy = {
    name: "kms-key-symmetric-for-secrets",
    description:
        "The KMS key bound to an ACK cluster is a symmetric Aliyun_AES_256 key with usage ENCRYPT/DECRYPT.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowedKeySpecs: allowedKeySpecsSchema } },
    validateStack: (args, reportViolation) => {
        const allowed = configList(args.getConfig(), "allowedKeySpecs", [secretsKeySpec]);
        for (const { binding, key } of boundKeyPairs(args.resources)) {
            const spec = keySpecOf(key.props);
            if (!spec.known) {
                reportUncheckedInPreview(reportViolation, "keySpec", `key ${key.name}`, key.urn);
            } else if (!allowed.includes(spec.value)) {
                reportViolation(
                    `Use key spec ${allowed.join(" or ")} instead of ${spec.value} for the key of ${binding.clusterLabel}: ACK encrypts Secrets only with symmetric AES-256 keys.`,
                    key.urn,
                );
            }
            const usage = keyUsageOf(key.props);
            if (!usage.known) {
                reportUncheckedInPreview(reportViolation, "keyUsage", `key ${key.name}`, key.urn);
            } else if (usage.value !== secretsKeyUsage) {
                reportViolation(
                    `Set keyUsage to ${secretsKeyUsage} instead of ${usage.value} for the key of ${binding.clusterLabel}.`,
                    key.urn,
                );
            }
        }
    },
};
