// ACK managed and serverless clusters must be Pro with KMS Secret encryption on; dedicated
// clusters cannot have it at all.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { clusterKind } from "../bindings";
import { resourceTypes } from "../facts";
import { judgeClusterSpec, suggestedClusterSpec } from "../verdicts/clusterSpec";
import { judgeKeyId } from "../verdicts/keyId";
import { readString, tryRead } from "../known";
import { reportNotice, reportUncheckedInPreview } from "../notices";

/** ACK cluster types the pack does not judge: Edge clusters, and cluster types newer than it. */
export function isUnjudgedClusterType(type: string): boolean {
    return (
        /^alicloud:(cs|ack)\/[A-Za-z]*:[A-Za-z]*(Kubernetes|Cluster)$/.test(type) &&
        type !== resourceTypes.dedicatedCluster &&
        clusterKind(type) === undefined
    );
}

export const ackSecretEncryptionEnabled: ResourceValidationPolicy = {
    name: "ack-secret-encryption-enabled",
    description:
        "ACK managed and serverless clusters must be ACK Pro with Secret encryption by a KMS key turned on.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === resourceTypes.dedicatedCluster) {
            reportViolation(
                "Replace this dedicated cluster with an ACK Pro managed cluster (alicloud.cs.ManagedKubernetes): dedicated clusters cannot use KMS Secret encryption.",
            );
            return;
        }
        if (isUnjudgedClusterType(args.type)) {
            reportNotice(
                reportViolation,
                `Check Secret encryption of cluster ${args.name} yourself: the pack cannot judge ${args.type} clusters, so it did not check it.`,
            );
            return;
        }
        if (!clusterKind(args.type)) {
            return;
        }
        const props = args.props as Record<string, unknown>;
        const cluster = `cluster ${args.name}`;
        const spec = readString(props, "clusterSpec");
        if (!spec.known) {
            reportUncheckedInPreview(reportViolation, "clusterSpec", cluster);
        } else {
            const judged = judgeClusterSpec(spec.value);
            if (judged.verdict !== "pro") {
                reportViolation(
                    judged.verdict === "notPro"
                        ? `Set clusterSpec to an ack.pro.* spec instead of "${spec.value}": Secret encryption with KMS needs ACK Pro.`
                        : `Set clusterSpec to an ack.pro.* spec such as ${suggestedClusterSpec}: Secret encryption with KMS needs ACK Pro.`,
                );
            }
        }
        // Fail closed: only a boolean false (or nothing) leaves encryption on; a string "true"
        // would be converted by the provider and turn it off.
        const disabled = tryRead(() => {
            const value = props.disableEncryption;
            return value === undefined || value === null || value === false
                ? "no"
                : value === true
                  ? "yes"
                  : "unreadable";
        });
        if (!disabled.known) {
            reportUncheckedInPreview(reportViolation, "disableEncryption", cluster);
        } else if (disabled.value === "yes") {
            reportViolation(
                "Set disableEncryption to false and keep encryptionProviderKey: Secret encryption must stay on.",
            );
            return;
        } else if (disabled.value === "unreadable") {
            reportViolation(
                "Set disableEncryption to the boolean false: the pack cannot read a value of another type, and the provider may read it as true.",
            );
            return;
        }
        const key = readString(props, "encryptionProviderKey");
        if (key.known && !key.value) {
            reportViolation(
                "Set encryptionProviderKey to a KMS key id (with disableEncryption: false) to encrypt Secrets.",
            );
        } else if (key.known && key.value && judgeKeyId(key.value).verdict === "notKeyId") {
            reportViolation(
                "Set encryptionProviderKey to a KMS key id or key ARN: the pack cannot read the value as one.",
            );
        }
    },
};
