// Many clusters and keys the stack policies must bind: one ack-kms EncryptedCluster (ACK Pro, a new
// KMS key, ACK's RAM authorization, a Deny of cs:UpdateKMSEncryption for an operators group) per
// 10 resources of `count`, all in one VPC, so a quadratic binding or report step shows.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { EncryptedCluster } from "ack-kms";

const count = new pulumi.Config().requireNumber("count");
const vpc = new alicloud.vpc.Network("vpc", { vpcName: "bench-scale", cidrBlock: "10.0.0.0/8" });
const vswitch = new alicloud.vpc.Switch("vswitch", {
    vpcId: vpc.id,
    cidrBlock: "10.1.0.0/16",
    zoneId: "cn-hangzhou-k",
});
const operators = new alicloud.ram.Group("operators", { groupName: "bench-scale-operators" });
// The first cluster creates ACK's service role; the others use it.
for (let i = 0; i < Math.max(1, Math.round(count / 10)); i++) {
    new EncryptedCluster(`c${i}`, {
        cluster: {
            name: `bench-scale-${i}`,
            clusterSpec: "ack.pro.small",
            vswitchIds: [vswitch.id],
            podCidr: "172.20.0.0/16",
            serviceCidr: "172.21.0.0/20",
        },
        key: { description: `bench/scale cluster ${i}` },
        securityRole: { mode: i === 0 ? "create" : "existing" },
        denyEncryptionUpdates: { groups: [operators.groupName] },
    });
}
