// Re-encryption after key rotation: KMS rotation only changes the key version new Secrets are
// written with. This stack reads the key on every `pulumi up` and, each time its primary key version
// changes, runs a Job that rewrites every Secret so the API server stores it with the new version.
import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SecretsReencryption } from "ack-kms";

const config = new pulumi.Config();
const clusterId = config.require("clusterId");
const keyId = config.require("keyId");
const mode = config.get("mode") === "replace" ? "replace" : "annotate";

// A read of the key (not managed here): refreshed on every update, so a rotation KMS made on its
// own schedule shows up as a new primaryKeyVersion.
const key = alicloud.kms.Key.get("secrets-key", keyId);

const credential = alicloud.cs.getClusterCredentialOutput({ clusterId });
const provider = new k8s.Provider("cluster", {
    kubeconfig: pulumi.secret(credential.kubeConfig),
});

const reencryption = new SecretsReencryption("reencrypt-secrets", {
    provider,
    rotationMarker: key.primaryKeyVersion,
    mode,
});

export const primaryKeyVersion = key.primaryKeyVersion;
export const reencryptionJob = reencryption.jobName;
