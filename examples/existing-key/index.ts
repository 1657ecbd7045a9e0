// An ACK Pro cluster bound to a KMS key that already exists (stack config `keyId`). The key is
// checked before the cluster is created and gets KMS deletion protection from a KeyDeletionGuard.
import * as pulumi from "@pulumi/pulumi";
import { EncryptedCluster } from "ack-kms";

const config = new pulumi.Config();
const stack = pulumi.getStack();

const cluster = new EncryptedCluster("ack", {
    cluster: {
        name: `ack-kms-existing-key-${stack}`,
        vswitchIds: config.requireObject<string[]>("vswitchIds"),
        newNatGateway: config.getBoolean("newNatGateway") ?? true,
        podCidr: config.get("podCidr") ?? "172.20.0.0/16",
        serviceCidr: config.get("serviceCidr") ?? "172.21.0.0/20",
        addons: [{ name: "flannel" }],
    },
    // An Aliyun_AES_256 ENCRYPT/DECRYPT key id (key-...) or ARN in the stack's region.
    keyId: config.require("keyId"),
    // The ACK console's authorization usually created the role already: only verify it.
    securityRole: { mode: "existing" },
});

export const clusterId = cluster.clusterId;
export const keyId = cluster.keyId;
export const kubeconfig = cluster.kubeconfig;
