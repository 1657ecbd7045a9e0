// An ACK Serverless Pro cluster with Kubernetes Secret encryption by a new KMS key.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { EncryptedCluster } from "ack-kms";

const config = new pulumi.Config();
const stack = pulumi.getStack();

const zoneId =
    config.get("zoneId") ??
    alicloud.vpc.getEnhancedNatAvailableZonesOutput({}).zones.apply((zones) => {
        if (zones.length === 0) {
            throw new Error("[zoneId] no zone found for ACK in this region: set zoneId.");
        }
        return zones[0].zoneId;
    });

const vpc = new alicloud.vpc.Network("vpc", {
    vpcName: `ack-kms-serverless-${stack}`,
    cidrBlock: config.get("vpcCidr") ?? "10.0.0.0/8",
});
const vswitch = new alicloud.vpc.Switch("vswitch", {
    vswitchName: `ack-kms-serverless-${stack}`,
    vpcId: vpc.id,
    cidrBlock: config.get("vswitchCidr") ?? "10.1.0.0/16",
    zoneId,
});

// People who run workloads on the cluster but must not turn Secret encryption off or re-key it.
const operators = new alicloud.ram.Group("operators", {
    groupName: `ack-kms-serverless-${stack}-operators`,
    comments: "Cluster operators; denied cs:UpdateKMSEncryption by ack-kms.",
});

const cluster = new EncryptedCluster("serverless", {
    serverless: {
        name: `ack-kms-serverless-${stack}`,
        vpcId: vpc.id,
        vswitchIds: [vswitch.id],
        newNatGateway: true,
        endpointPublicAccessEnabled: true,
        serviceCidr: "172.21.0.0/20",
    },
    key: {},
    denyEncryptionUpdates: { groups: [operators.groupName] },
});

export const clusterId = cluster.clusterId;
export const keyId = cluster.keyId;
export const kubeconfig = cluster.kubeconfig;
