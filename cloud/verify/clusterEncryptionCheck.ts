// Is Secret encryption on for the cluster, naming its KMS key? And if not, can it be turned on?
import { judgeClusterSpec } from "../../policy/verdicts/clusterSpec";
import { ClusterDetail } from "../cs";
import { checkIds, CheckResult, checkTitles } from "./results";

export function clusterCheck(cluster: ClusterDetail, clusterId: string): CheckResult {
    const title = checkTitles[checkIds.clusterEncryption];
    if (cluster.encryptionEnabled && cluster.encryptionKeyId) {
        return {
            id: checkIds.clusterEncryption,
            title,
            status: "pass",
            detail: `cluster ${clusterId} (${cluster.clusterSpec || "no spec"}, ${cluster.state}) encrypts Secrets with ${cluster.encryptionKeyId}`,
        };
    }
    return {
        id: checkIds.clusterEncryption,
        title,
        status: "fail",
        detail: `cluster ${clusterId} (${cluster.clusterSpec || "no spec"}, ${cluster.state}) reports Secret encryption off`,
        fix:
            judgeClusterSpec(cluster.clusterSpec).verdict === "pro"
                ? "Turn it on: ExistingClusterEncryption (Pulumi), or the cluster's Basic Information tab > Secret Encryption."
                : "Secret encryption needs an ACK Pro cluster: migrate the cluster to ACK Pro first.",
    };
}
