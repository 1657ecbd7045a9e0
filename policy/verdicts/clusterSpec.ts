// Can a cluster of this spec use Secret encryption with KMS? Judged once here; EncryptedCluster,
// the pack's ack-secret-encryption-enabled, ExistingClusterEncryption's preflight and verify word it.
//
// Only ACK Pro clusters can (ack-kms-guide: "Secret encryption is supported only on ACK Pro clusters
// and ACK Serverless Pro clusters"). Alibaba's docs list `ack.pro.small` (Pro) and `ack.standard`
// (Basic) as the values of cluster_spec, for managed and serverless clusters alike; ACK names every
// Pro tier `ack.pro.*`, so any such spec is Pro. The components used to accept only a closed list
// (which also named tiers the docs do not), the pack and verify any `ack.pro.*`: the pack and verify
// were right, and the components now follow them.
import { defaultClusterSpec, isProClusterSpec } from "../facts";

export type ClusterSpecVerdict =
    | { verdict: "pro"; spec: string }
    /** No spec: ACK then makes a Basic cluster. */
    | { verdict: "missing" }
    /** ACK Basic (`ack.standard`) or anything else that is not `ack.pro.*`. */
    | { verdict: "notPro"; spec: unknown; basic: boolean };

/** The spec to suggest: the one the components default to. */
export const suggestedClusterSpec = defaultClusterSpec;

export function judgeClusterSpec(spec: unknown): ClusterSpecVerdict {
    if (spec === undefined || spec === null || spec === "") {
        return { verdict: "missing" };
    }
    if (typeof spec === "string" && isProClusterSpec(spec)) {
        return { verdict: "pro", spec };
    }
    return { verdict: "notPro", spec, basic: spec === "ack.standard" };
}
