"""The reference stack (examples/new-cluster/index.ts) in Python: a VPC with vSwitches in two zones
and an ACK Pro cluster whose Kubernetes Secrets are encrypted with a new KMS key, with ACK's RAM
authorization and a deny of cs:UpdateKMSEncryption for the operators group created here.

The EncryptedCluster is built by the ack-kms provider (../../provider) from the same TypeScript
component, so its children, checks and error messages are the TypeScript ones."""

import pulumi
import pulumi_alicloud as alicloud
import pulumi_ack_kms as ack_kms

config = pulumi.Config()
stack = pulumi.get_stack()
vpc_cidr = config.get("vpcCidr") or "10.0.0.0/8"
vswitch_cidrs = config.get_object("vswitchCidrs") or ["10.1.0.0/16", "10.2.0.0/16"]
# "existing" when the account already has AliyunCSManagedSecurityRole (ACK console authorization).
security_role_mode = (
    ack_kms.SecurityRoleMode.EXISTING
    if config.get("securityRoleMode") == "existing"
    else ack_kms.SecurityRoleMode.CREATE
)
# Set by the tests to prove that a bad argument fails with the component's own message.
cluster_spec = config.get("clusterSpec") or "ack.pro.small"

# Zones where ACK can place the control plane's vSwitches (enhanced NAT zones), unless configured.
configured_zones = config.get_object("zoneIds")
zone_ids = (
    pulumi.Output.from_input(configured_zones)
    if configured_zones
    else alicloud.vpc.get_enhanced_nat_available_zones_output().zones.apply(
        lambda zones: [zone.zone_id for zone in zones]
    )
)


def zone_at(index: int):
    def pick(ids):
        if len(ids) <= index:
            raise ValueError(
                f"[zoneIds] only {len(ids)} zone(s) available for {len(vswitch_cidrs)} vSwitches: "
                "set zoneIds or fewer vswitchCidrs."
            )
        return ids[index]

    return zone_ids.apply(pick)


vpc = alicloud.vpc.Network("vpc", vpc_name=f"ack-kms-{stack}", cidr_block=vpc_cidr)
vswitches = [
    alicloud.vpc.Switch(
        f"vswitch-{index}",
        vswitch_name=f"ack-kms-{stack}-{index}",
        vpc_id=vpc.id,
        cidr_block=cidr_block,
        zone_id=zone_at(index),
    )
    for index, cidr_block in enumerate(vswitch_cidrs)
]

# People who run workloads on the cluster but must not turn Secret encryption off or re-key it.
operators = alicloud.ram.Group(
    "operators",
    group_name=f"ack-kms-{stack}-operators",
    comments="Cluster operators; denied cs:UpdateKMSEncryption by ack-kms.",
)

cluster = ack_kms.EncryptedCluster(
    "ack",
    cluster=ack_kms.ManagedClusterArgs(
        name=f"ack-kms-{stack}",
        cluster_spec=cluster_spec,
        vswitch_ids=[vswitch.id for vswitch in vswitches],
        new_nat_gateway=True,
        slb_internet_enabled=True,
        pod_cidr="172.20.0.0/16",
        service_cidr="172.21.0.0/20",
        addons=[ack_kms.ManagedKubernetesAddonArgs(name="flannel")],
    ),
    key=ack_kms.KeyArgs(rotation_interval="365d", pending_window_in_days=30),
    security_role=ack_kms.SecurityRoleArgs(mode=security_role_mode),
    deny_encryption_updates=ack_kms.DenyEncryptionUpdatesArgs(groups=[operators.group_name]),
)

pulumi.export("vpcId", vpc.id)
pulumi.export("clusterId", cluster.cluster_id)
pulumi.export("keyId", cluster.key_id)
pulumi.export("operatorsGroup", operators.group_name)
pulumi.export("kubeconfig", cluster.kubeconfig)
