// The dynamic provider behind ExistingClusterEncryption: CS + KMS preflight, UpdateKMSEncryption,
// then a bounded wait until the cluster is running again (cloud/clusterEncryption.ts does the work).
//
// The dynamic provider host loads this module by path when a method of the serialized provider
// (./provider) runs; credentials are read from the environment then. Only that provider and tests
// load it: the component does not.

import * as pulumi from "@pulumi/pulumi";
import { existingClusterEncryptionKind, keyIdOf } from "../../policy/facts";
import {
    ClusterNotFoundError,
    clusterNotFoundCode,
    disableClusterEncryption,
    EncryptionChangeContext,
    enableClusterEncryption,
    isSameKey,
} from "../../cloud/clusterEncryption";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import { createCsClient, describeCluster } from "../../cloud/cs";
import { CloudApiError } from "../../cloud/errors";
import { createKmsClient } from "../../cloud/kms";
import {
    ExistingClusterEncryptionInputs,
    ExistingClusterEncryptionOutputs,
    inputRedactor,
    redactInputs,
    validateExistingClusterEncryptionInputs,
} from "./inputs";
import { anyInputChanged, checkFailures, redactingErrors } from "../providers/inputChecks";
import { throwProblems } from "../validation";
import type { ExistingClusterEncryptionProviderSettings } from "./settings";

function pickInputs(raw: ExistingClusterEncryptionInputs): ExistingClusterEncryptionInputs {
    const inputs: ExistingClusterEncryptionInputs = {
        kind: existingClusterEncryptionKind,
        clusterId: raw.clusterId,
        keyId: raw.keyId,
        regionId: raw.regionId,
        disableOnDelete: raw.disableOnDelete === true,
    };
    if (raw.csEndpoint !== undefined) {
        inputs.csEndpoint = raw.csEndpoint;
    }
    if (raw.kmsEndpoint !== undefined) {
        inputs.kmsEndpoint = raw.kmsEndpoint;
    }
    if (Array.isArray(raw.secretInputs) && raw.secretInputs.length > 0) {
        inputs.secretInputs = raw.secretInputs.filter((name) => typeof name === "string");
    }
    if (raw.providerTiming !== undefined) {
        inputs.providerTiming = raw.providerTiming;
    }
    return inputs;
}

/** Clients built now, from the environment's credentials, and progress sent to the Pulumi log. */
function contextFor(
    inputs: ExistingClusterEncryptionInputs,
    settings: ExistingClusterEncryptionProviderSettings,
): EncryptionChangeContext {
    const credentials = credentialsFromEnvironment(process.env);
    const common = { regionId: inputs.regionId, credentials, timeoutMs: settings.timeoutMs };
    return {
        cs: createCsClient({ ...common, endpoint: inputs.csEndpoint }),
        kms: createKmsClient({ ...common, endpoint: inputs.kmsEndpoint }),
        clusterId: inputs.clusterId,
        regionId: inputs.regionId,
        timing: settings.timing,
        log: (message) => void pulumi.log.info(redactInputs(inputs, message)),
        warn: (message) => void pulumi.log.warn(redactInputs(inputs, message)),
    };
}

export async function checkEncryption(
    _olds: unknown,
    news: ExistingClusterEncryptionInputs,
): Promise<pulumi.dynamic.CheckResult<ExistingClusterEncryptionInputs>> {
    const failures = checkFailures(
        validateExistingClusterEncryptionInputs(news).map((problem) => redactInputs(news, problem)),
        "clusterId",
    );
    return {
        inputs: {
            ...news,
            kind: existingClusterEncryptionKind,
            disableOnDelete: news.disableOnDelete === true,
        },
        failures,
    };
}

/** Another cluster or region replaces the resource; another key moves encryption in place. */
export async function diffEncryption(
    _id: string,
    olds: ExistingClusterEncryptionOutputs,
    news: ExistingClusterEncryptionInputs,
): Promise<pulumi.dynamic.DiffResult> {
    const replaces = (["clusterId", "regionId"] as const).filter(
        (name) => olds[name] !== news[name],
    );
    const changed =
        olds.encryptedWithKey === false ||
        keyIdOf(olds.keyId) !== keyIdOf(news.keyId) ||
        anyInputChanged(olds, news, ["disableOnDelete", "csEndpoint", "kmsEndpoint", "kind"]);
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
}

export async function createEncryption(
    raw: ExistingClusterEncryptionInputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<pulumi.dynamic.CreateResult<ExistingClusterEncryptionOutputs>> {
    const inputs = pickInputs(raw);
    const result = await redactingErrors(inputRedactor(inputs), async () => {
        throwProblems(validateExistingClusterEncryptionInputs(inputs));
        return enableClusterEncryption(contextFor(inputs, settings), inputs.keyId);
    });
    const key = result.key!;
    return {
        id: inputs.clusterId,
        outs: {
            ...inputs,
            kmsKeyId: key.keyId,
            keyArn: key.arn,
            encryptionWasAlreadyOn: !result.changed,
            encryptedWithKey: true,
        },
    };
}

export async function updateEncryption(
    _id: string,
    olds: ExistingClusterEncryptionOutputs,
    raw: ExistingClusterEncryptionInputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<pulumi.dynamic.UpdateResult<ExistingClusterEncryptionOutputs>> {
    const inputs = pickInputs(raw);
    await redactingErrors(inputRedactor(inputs), async () =>
        throwProblems(validateExistingClusterEncryptionInputs(inputs)),
    );
    if (
        isSameKey(inputs.keyId, { keyId: olds.kmsKeyId, arn: olds.keyArn }) &&
        olds.encryptedWithKey !== false
    ) {
        return { outs: { ...olds, ...inputs } };
    }
    const result = await redactingErrors(inputRedactor(inputs), () =>
        enableClusterEncryption(contextFor(inputs, settings), inputs.keyId),
    );
    const key = result.key!;
    return {
        outs: {
            ...inputs,
            kmsKeyId: key.keyId,
            keyArn: key.arn,
            // Moving to another key is this resource's doing, whatever the state before.
            encryptionWasAlreadyOn: olds.encryptionWasAlreadyOn && !result.changed,
            encryptedWithKey: true,
        },
    };
}

/**
 * `pulumi refresh`: notices encryption turned off, or moved to another key, outside the stack (the
 * next update turns it back on), and a cluster that is gone (the resource is then dropped).
 */
export async function readEncryption(
    id: string,
    props: ExistingClusterEncryptionOutputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<pulumi.dynamic.ReadResult<ExistingClusterEncryptionOutputs>> {
    const context = contextFor(props, settings);
    try {
        const cluster = await redactingErrors(inputRedactor(props), () =>
            describeCluster(context.cs, props.clusterId),
        );
        const encryptedWithKey =
            cluster.encryptionEnabled &&
            isSameKey(cluster.encryptionKeyId, { keyId: props.kmsKeyId, arn: props.keyArn });
        return { id, props: { ...props, encryptedWithKey } };
    } catch (error) {
        if (error instanceof CloudApiError && error.code === clusterNotFoundCode) {
            // An empty id tells the engine the resource no longer exists.
            return { id: "" };
        }
        throw error;
    }
}

/**
 * Leaves encryption on: turning it off is a decision, not a side effect of deleting a resource.
 * With `disableOnDelete`, turns it off, unless it was on before this resource (or the cluster is gone).
 */
export async function deleteEncryption(
    _id: string,
    props: ExistingClusterEncryptionOutputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<void> {
    if (!props.disableOnDelete) {
        void pulumi.log.info(
            redactInputs(
                props,
                `Secret encryption stays on for cluster ${props.clusterId} (set disableOnDelete: true to turn it off on delete).`,
            ),
        );
        return;
    }
    if (props.encryptionWasAlreadyOn) {
        void pulumi.log.warn(
            redactInputs(
                props,
                `Secret encryption stays on for cluster ${props.clusterId}: it was on before this resource managed it.`,
            ),
        );
        return;
    }
    try {
        await redactingErrors(inputRedactor(props), () =>
            disableClusterEncryption(contextFor(props, settings)),
        );
    } catch (error) {
        if (!(error instanceof ClusterNotFoundError)) {
            throw error;
        }
    }
}
