// ExistingClusterEncryption's inputs and their validation, shared by the component (at declaration
// time) and the provider operations (at run time). Nothing here loads an Alibaba Cloud SDK, so
// declaring a stack that merely imports ack-kms stays fast.

import { parseEndpoint, parseKmsEndpoint } from "../../cloud/endpoints";
import { isKnown } from "../validation";
import type { ExistingClusterEncryptionProviderSettings } from "./settings";
import {
    endpointProblems,
    keyIdProblems,
    maxIdLength,
    redactTexts,
    regionIdProblems,
    secretInputTexts,
    shown,
} from "../providers/inputChecks";

export { unknownValue } from "../providers/inputChecks";

/** The dynamic resource's inputs. `kind` marks it for policies (facts.existingClusterEncryptionKind). */
export interface ExistingClusterEncryptionInputs {
    kind: string;
    clusterId: string;
    /** The key id or ARN, as the user gave it. */
    keyId: string;
    regionId: string;
    disableOnDelete: boolean;
    csEndpoint?: string;
    kmsEndpoint?: string;
    /**
     * The inputs the program gave as secrets. The provider host receives every value in plain text,
     * so this list is how the provider knows to write them as `[secret]` in its log and errors.
     */
    secretInputs?: string[];
    /**
     * Served by the ack-kms provider only: the timings a dynamic provider captures, kept in the
     * state so that delete and read (which get the state, not the inputs) use them too.
     */
    providerTiming?: ExistingClusterEncryptionProviderSettings["timing"];
}

/** The inputs whose secretness the component records in `secretInputs`. */
export const redactableInputs = [
    "clusterId",
    "keyId",
    "regionId",
    "csEndpoint",
    "kmsEndpoint",
] as const;

/**
 * Writes the values of the inputs named in `secretInputs` as `[secret]` in `text`, the key id
 * inside a secret key ARN included (secretInputTexts).
 */
export function redactInputs(
    inputs: Partial<ExistingClusterEncryptionInputs>,
    text: string,
): string {
    return redactTexts(secretInputTexts(inputs), text);
}

/** redactInputs for these inputs, as a function of the text (what redactingErrors takes). */
export function inputRedactor(
    inputs: Partial<ExistingClusterEncryptionInputs>,
): (text: string) => string {
    return (text) => redactInputs(inputs, text);
}

export interface ExistingClusterEncryptionOutputs extends ExistingClusterEncryptionInputs {
    /** The key's id as KMS reports it. */
    kmsKeyId: string;
    keyArn: string;
    /** Encryption was already on with this key: this resource then never turns it off. */
    encryptionWasAlreadyOn: boolean;
    /** False after a refresh found encryption off or on another key; the next update turns it back on. */
    encryptedWithKey: boolean;
}

const clusterIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Problems with the inputs, one message each; values not known yet are skipped. */
export function validateExistingClusterEncryptionInputs(
    inputs: Partial<Record<keyof ExistingClusterEncryptionInputs, unknown>>,
): string[] {
    const problems: string[] = [];
    const { clusterId, keyId, regionId, csEndpoint, kmsEndpoint } = inputs;
    if (
        isKnown(clusterId) &&
        (typeof clusterId !== "string" ||
            clusterId.length > maxIdLength ||
            !clusterIdPattern.test(clusterId))
    ) {
        problems.push(
            `[clusterId] ${shown(clusterId)} is not an ACK cluster id: give one such as c0123456789abcdef0123456789abcdef.`,
        );
    }
    problems.push(
        ...keyIdProblems(keyId, regionId),
        ...regionIdProblems(regionId),
        ...endpointProblems("csEndpoint", csEndpoint, parseEndpoint),
        ...endpointProblems("kmsEndpoint", kmsEndpoint, parseKmsEndpoint),
    );
    return problems;
}
