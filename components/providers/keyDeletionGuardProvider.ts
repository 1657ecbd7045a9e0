// The operations behind KeyDeletionGuard: KMS DescribeKey preflight, then SetDeletionProtection.
//
// The dynamic provider host loads this module by path when a method of the serialized provider
// (./keyDeletionGuardProviderFactory) runs; it reaches KMS through cloud/ with credentials read from
// the environment then. Only that provider and tests load it: the component does not.

import type * as pulumi from "@pulumi/pulumi";
import { keyDeletionGuardKind, keyIdOf } from "../../policy/facts";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import { assertKeyFitForSecrets } from "../../cloud/keyChecks";
import {
    createKmsClient,
    describeKey,
    isKeyNotFoundError,
    KeyMetadata,
    KmsClient,
    setDeletionProtection,
} from "../../cloud/kms";
import {
    KeyDeletionGuardInputs,
    KeyDeletionGuardOutputs,
    validateKeyDeletionGuardInputs,
} from "./keyDeletionGuardInputs";
import { anyInputChanged, assertNoProblems, checkFailures } from "./inputChecks";
import type { KeyDeletionGuardProviderSettings } from "./keyDeletionGuardProviderFactory";

// These names lived here before the split; importers (tests, benches, users) keep working.
export type { KeyDeletionGuardInputs, KeyDeletionGuardOutputs } from "./keyDeletionGuardInputs";
export {
    maxBoundToLength,
    unknownValue,
    validateKeyDeletionGuardInputs,
} from "./keyDeletionGuardInputs";
export type { KeyDeletionGuardProviderSettings } from "./keyDeletionGuardProviderFactory";
export {
    createKeyDeletionGuardProvider,
    providerModuleCandidates,
    providerPackageModule,
} from "./keyDeletionGuardProviderFactory";

/** The deletion-protection description shown in the KMS console. */
export function guardDescription(boundTo: string): string {
    return `Protected by ack-kms KeyDeletionGuard: encrypts the Kubernetes Secrets of ${boundTo}. Deleting or disabling this key breaks that cluster's API server.`;
}

function kmsClientFor(
    inputs: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
): KmsClient {
    return createKmsClient({
        regionId: inputs.regionId,
        endpoint: inputs.endpoint,
        credentials: credentialsFromEnvironment(process.env),
        timeoutMs: settings.timeoutMs,
        retry: settings.retry,
    });
}

/** DescribeKey in the guard's region, with a not-found answer turned into a message users can act on. */
async function describeKeyInRegion(
    client: KmsClient,
    inputs: KeyDeletionGuardInputs,
): Promise<KeyMetadata> {
    try {
        return await describeKey(client, inputs.keyId);
    } catch (error) {
        if (isKeyNotFoundError(error)) {
            throw new Error(
                `[keyId] "${inputs.keyId}" was not found in region ${inputs.regionId}: the key must exist and be in the cluster's region (KMS ${error.code}, RequestId: ${error.requestId ?? "none"}).`,
            );
        }
        throw error;
    }
}

function pickInputs(raw: KeyDeletionGuardInputs): KeyDeletionGuardInputs {
    const inputs: KeyDeletionGuardInputs = {
        kind: keyDeletionGuardKind,
        keyId: raw.keyId,
        regionId: raw.regionId,
        boundTo: raw.boundTo,
    };
    if (raw.endpoint !== undefined) {
        inputs.endpoint = raw.endpoint;
    }
    return inputs;
}

export async function checkGuard(
    _olds: unknown,
    news: KeyDeletionGuardInputs,
): Promise<pulumi.dynamic.CheckResult<KeyDeletionGuardInputs>> {
    const failures = checkFailures(validateKeyDeletionGuardInputs(news), "keyId");
    return { inputs: { ...news, kind: keyDeletionGuardKind }, failures };
}

/** A different key or region replaces the guard; a new binding or endpoint is changed in place. */
export async function diffGuard(
    _id: string,
    olds: KeyDeletionGuardOutputs,
    news: KeyDeletionGuardInputs,
): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    // `key-1` and its ARN are the same key: no replacement.
    if (keyIdOf(olds.keyId) !== keyIdOf(news.keyId)) {
        replaces.push("keyId");
    }
    if (olds.regionId !== news.regionId) {
        replaces.push("regionId");
    }
    const changed = anyInputChanged(olds, news, ["keyId", "boundTo", "endpoint", "kind"]);
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
}

export async function createGuard(
    raw: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<pulumi.dynamic.CreateResult<KeyDeletionGuardOutputs>> {
    const inputs = pickInputs(raw);
    assertNoProblems(validateKeyDeletionGuardInputs(inputs));
    const client = kmsClientFor(inputs, settings);
    const key = await describeKeyInRegion(client, inputs);
    assertKeyFitForSecrets(key, `[keyId] "${inputs.keyId}" in ${inputs.regionId}`);
    const protectionWasAlreadyOn = key.deletionProtection === "Enabled";
    let protectionDescription = "";
    if (!protectionWasAlreadyOn) {
        // Someone else's protection (and its description) is left as it is.
        protectionDescription = guardDescription(inputs.boundTo);
        await setDeletionProtection(client, {
            keyArn: key.arn,
            enable: true,
            description: protectionDescription,
        });
    }
    return {
        id: key.arn,
        outs: {
            ...inputs,
            kmsKeyId: key.keyId,
            keyArn: key.arn,
            protectionWasAlreadyOn,
            protectionDescription,
        },
    };
}

export async function updateGuard(
    _id: string,
    olds: KeyDeletionGuardOutputs,
    raw: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<pulumi.dynamic.UpdateResult<KeyDeletionGuardOutputs>> {
    const inputs = pickInputs(raw);
    assertNoProblems(validateKeyDeletionGuardInputs(inputs));
    let protectionDescription = olds.protectionDescription;
    const description = guardDescription(inputs.boundTo);
    if (!olds.protectionWasAlreadyOn && description !== olds.protectionDescription) {
        await setDeletionProtection(kmsClientFor(inputs, settings), {
            keyArn: olds.keyArn,
            enable: true,
            description,
        });
        protectionDescription = description;
    }
    return {
        outs: {
            ...inputs,
            kmsKeyId: olds.kmsKeyId,
            keyArn: olds.keyArn,
            protectionWasAlreadyOn: olds.protectionWasAlreadyOn,
            protectionDescription,
        },
    };
}

/** Turns protection off only if this guard turned it on; a key already gone needs nothing. */
export async function deleteGuard(
    _id: string,
    props: KeyDeletionGuardOutputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<void> {
    if (props.protectionWasAlreadyOn) {
        return;
    }
    try {
        await setDeletionProtection(kmsClientFor(props, settings), {
            keyArn: props.keyArn,
            enable: false,
        });
    } catch (error) {
        if (!isKeyNotFoundError(error)) {
            throw error;
        }
    }
}
