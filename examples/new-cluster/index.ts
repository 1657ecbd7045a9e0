// The reference stack: a VPC with vSwitches in two zones, and an ACK Pro cluster whose Kubernetes
// Secrets are encrypted with a new KMS key, with ACK's RAM authorization and a deny of
// cs:UpdateKMSEncryption for the operators group created here.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { EncryptedCluster } from "ack-kms";

const config = new pulumi.Config();
const stack = pulumi.getStack();
const vpcCidr = config.get("vpcCidr") ?? "10.0.0.0/8";
const vswitchCidrs = config.getObject<string[]>("vswitchCidrs") ?? ["10.1.0.0/16", "10.2.0.0/16"];
// "existing" when the account already has AliyunCSManagedSecurityRole (ACK console authorization).
const securityRoleMode = config.get("securityRoleMode") === "existing" ? "existing" : "create";

// Zones where ACK can place the control plane's vSwitches (enhanced NAT zones), unless configured.
const zoneIds = config.getObject<string[]>("zoneIds")
    ? pulumi.output(config.requireObject<string[]>("zoneIds"))
    : alicloud.vpc
          .getEnhancedNatAvailableZonesOutput({})
          .zones.apply((zones) => zones.map((zone) => zone.zoneId));

const vpc = new alicloud.vpc.Network("vpc", {
    vpcName: `ack-kms-${stack}`,
    cidrBlock: vpcCidr,
});
const vswitches = vswitchCidrs.map(
    (cidrBlock, index) =>
        new alicloud.vpc.Switch(`vswitch-${index}`, {
            vswitchName: `ack-kms-${stack}-${index}`,
            vpcId: vpc.id,
            cidrBlock,
            zoneId: zoneIds.apply((ids) => {
                if (ids.length <= index) {
                    throw new Error(
                        `[zoneIds] only ${ids.length} zone(s) available for ${vswitchCidrs.length} vSwitches: set zoneIds or fewer vswitchCidrs.`,
                    );
                }
                return ids[index];
            }),
        }),
);

// People who run workloads on the cluster but must not turn Secret encryption off or re-key it.
const operators = new alicloud.ram.Group("operators", {
    groupName: `ack-kms-${stack}-operators`,
    comments: "Cluster operators; denied cs:UpdateKMSEncryption by ack-kms.",
});

const cluster = new EncryptedCluster("ack", {
    cluster: {
        name: `ack-kms-${stack}`,
        clusterSpec: "ack.pro.small",
        vswitchIds: vswitches.map((vswitch) => vswitch.id),
        newNatGateway: true,
        slbInternetEnabled: true,
        podCidr: "172.20.0.0/16",
        serviceCidr: "172.21.0.0/20",
        addons: [{ name: "flannel" }],
    },
    key: {
        rotationInterval: "365d",
        pendingWindowInDays: 30,
    },
    securityRole: { mode: securityRoleMode },
    denyEncryptionUpdates: { groups: [operators.groupName] },
});

export const vpcId = vpc.id;
export const clusterId = cluster.clusterId;
export const keyId = cluster.keyId;
export const operatorsGroup = operators.groupName;
export const kubeconfig = cluster.kubeconfig;
