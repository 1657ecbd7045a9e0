// The EncryptedCluster of the reference stack (examples/new-cluster) from Go, through the ack-kms
// component provider. The vSwitches and the operators group are given by config: the Go SDK of
// alicloud is not part of this repository's toolchain.
package main

import (
	"fmt"

	"github.com/ack-kms/ack-kms/sdk/go/ackkms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		var vswitchIds []string
		cfg.RequireObject("vswitchIds", &vswitchIds)
		clusterSpec := cfg.Get("clusterSpec")
		if clusterSpec == "" {
			clusterSpec = "ack.pro.small"
		}
		securityRoleMode := ackkms.SecurityRoleModeCreate
		cluster, err := ackkms.NewEncryptedCluster(ctx, "ack", &ackkms.EncryptedClusterArgs{
			Cluster: &ackkms.ManagedClusterArgs{
				Name:               pulumi.String(fmt.Sprintf("ack-kms-%s", ctx.Stack())),
				ClusterSpec:        pulumi.String(clusterSpec),
				VswitchIds:         pulumi.ToStringArray(vswitchIds),
				NewNatGateway:      pulumi.Bool(true),
				SlbInternetEnabled: pulumi.Bool(true),
				PodCidr:            pulumi.String("172.20.0.0/16"),
				ServiceCidr:        pulumi.String("172.21.0.0/20"),
				Addons: ackkms.ManagedKubernetesAddonArray{
					&ackkms.ManagedKubernetesAddonArgs{Name: pulumi.String("flannel")},
				},
			},
			Key: &ackkms.KeyArgs{
				RotationInterval:    pulumi.StringRef("365d"),
				PendingWindowInDays: pulumi.Float64Ref(30),
			},
			SecurityRole: &ackkms.SecurityRoleArgs{Mode: &securityRoleMode},
			DenyEncryptionUpdates: &ackkms.DenyEncryptionUpdatesArgs{
				Groups: pulumi.StringArray{pulumi.String(cfg.Require("operatorsGroup"))},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("clusterId", cluster.ClusterId)
		ctx.Export("keyId", cluster.KeyId)
		ctx.Export("kubeconfig", cluster.Kubeconfig)
		return nil
	})
}
