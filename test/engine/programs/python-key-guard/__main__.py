"""A KeyDeletionGuard from Python: its resource is a custom resource of the ack-kms provider (a
dynamic provider cannot run for a Python program), created against the KMS emulator."""

import pulumi
import pulumi_ack_kms as ack_kms

config = pulumi.Config()
guard = ack_kms.KeyDeletionGuard(
    "guard",
    key_id=config.require("keyId"),
    region_id=config.require("regionId"),
    bound_to="prod-cluster",
    endpoint=config.require("endpoint"),
)
pulumi.export("keyArn", guard.key_arn)
pulumi.export("protectionWasAlreadyOn", guard.protection_was_already_on)
