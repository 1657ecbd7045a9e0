// What `construct` builds for each type token of schema.json: the real component of components/,
// from its translated args, and the outputs the schema lists for it (nothing else leaves the
// provider: child resources are reached through the engine, not as outputs).
import * as pulumi from "@pulumi/pulumi";
import {
    ClusterSecurityRole,
    DenyKmsEncryptionUpdates,
    EncryptedCluster,
    ExistingClusterEncryption,
    KeyDeletionGuard,
    SecretsEncryptionKey,
    SecretsReencryption,
} from "../../components";
import type { SecretsReencryptionArgs } from "../../components";
import { kubernetes } from "../../components/kubernetes";
import { encryptedClusterArgs, keyArgs, plainArgs } from "./translate";

type Inputs = Record<string, unknown>;

export interface Constructed {
    resource: pulumi.ComponentResource;
    state: Record<string, pulumi.Input<unknown>>;
}

type Builder = (name: string, inputs: Inputs, opts: pulumi.ComponentResourceOptions) => Constructed;

/** SecretsReencryption takes a kubeconfig here: the provider object is built beside it. */
function secretsReencryption(
    name: string,
    inputs: Inputs,
    opts: pulumi.ComponentResourceOptions,
): Constructed {
    const { kubeconfig, ...rest } = plainArgs<Inputs>(inputs);
    if (kubeconfig === undefined) {
        throw new Error(
            "[kubeconfig] undefined is not allowed: pass the kubeconfig of the cluster whose Secrets are rewritten.",
        );
    }
    const provider = new (kubernetes().Provider)(
        `${name}-k8s`,
        { kubeconfig: pulumi.secret(kubeconfig as pulumi.Input<string>) },
        { parent: opts.parent, dependsOn: opts.dependsOn },
    );
    const args = { ...rest, provider } as unknown as SecretsReencryptionArgs;
    const resource = new SecretsReencryption(name, args, opts);
    return {
        resource,
        state: {
            jobName: resource.jobName,
            namespace: resource.namespace,
            serviceAccountName: resource.serviceAccountName,
            clusterRoleName: resource.clusterRoleName,
        },
    };
}

export const builders: Record<string, Builder> = {
    "ack-kms:index:EncryptedCluster": (name, inputs, opts) => {
        const resource = new EncryptedCluster(name, encryptedClusterArgs(inputs), opts);
        return {
            resource,
            state: {
                clusterId: resource.clusterId,
                keyId: resource.keyId,
                kubeconfig: resource.kubeconfig,
            },
        };
    },
    "ack-kms:index:SecretsEncryptionKey": (name, inputs, opts) => {
        const args = keyArgs("", plainArgs<Inputs>(inputs)) as Inputs;
        const resource = new SecretsEncryptionKey(name, args, opts);
        return {
            resource,
            state: {
                keyId: resource.keyId,
                keyArn: resource.keyArn,
                keyType: resource.keyType,
                rotationInterval: resource.rotationInterval,
            },
        };
    },
    "ack-kms:index:ClusterSecurityRole": (name, inputs, opts) => {
        const resource = new ClusterSecurityRole(name, plainArgs(inputs), opts);
        return { resource, state: { roleName: resource.roleName, roleArn: resource.roleArn } };
    },
    "ack-kms:index:DenyKmsEncryptionUpdates": (name, inputs, opts) => {
        const resource = new DenyKmsEncryptionUpdates(name, plainArgs(inputs), opts);
        return {
            resource,
            state: { policyName: resource.policyName, policyDocument: resource.policyDocument },
        };
    },
    "ack-kms:index:KeyDeletionGuard": (name, inputs, opts) => {
        const resource = new KeyDeletionGuard(name, plainArgs(inputs), opts);
        return {
            resource,
            state: {
                keyId: resource.keyId,
                keyArn: resource.keyArn,
                protectionWasAlreadyOn: resource.protectionWasAlreadyOn,
            },
        };
    },
    "ack-kms:index:ExistingClusterEncryption": (name, inputs, opts) => {
        const resource = new ExistingClusterEncryption(name, plainArgs(inputs), opts);
        return {
            resource,
            state: {
                clusterId: resource.clusterId,
                keyId: resource.keyId,
                keyArn: resource.keyArn,
                encryptionWasAlreadyOn: resource.encryptionWasAlreadyOn,
            },
        };
    },
    "ack-kms:index:SecretsReencryption": secretsReencryption,
};
