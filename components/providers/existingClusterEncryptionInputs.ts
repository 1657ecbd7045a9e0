// ExistingClusterEncryption's inputs and their validation, shared by the component (at declaration
// time) and the provider operations (at run time). Nothing here loads an Alibaba Cloud SDK, so
// declaring a stack that merely imports ack-kms stays fast.

import { keyIdPattern, parseKeyArn, regionIdPattern } from "../../policy/facts";
import { parseEndpoint } from "../../cloud/endpoints";

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

/** What a dynamic provider host receives for a value not known yet (preview); validation skips it. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const clusterIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/**
 * The KMS endpoint parser lives with the KMS client in cloud/kms, which loads the KMS SDK: it is
 * loaded only when a KMS endpoint override is given.
 */
function kmsEndpointParser(): typeof import("../../cloud/kms").parseKmsEndpoint {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("../../cloud/kms") as typeof import("../../cloud/kms")).parseKmsEndpoint;
}

/** Problems with the inputs, one message each; values not known yet are skipped. */
export function validateExistingClusterEncryptionInputs(
    inputs: Partial<Record<keyof ExistingClusterEncryptionInputs, unknown>>,
): string[] {
    const problems: string[] = [];
    const known = (value: unknown) => value !== unknownValue;
    const { clusterId, keyId, regionId, csEndpoint, kmsEndpoint } = inputs;
    if (known(clusterId) && (typeof clusterId !== "string" || !clusterIdPattern.test(clusterId))) {
        problems.push(
            `[clusterId] ${JSON.stringify(clusterId ?? "")} is not an ACK cluster id: give one such as c0123456789abcdef0123456789abcdef.`,
        );
    }
    if (known(keyId)) {
        const arn = typeof keyId === "string" ? parseKeyArn(keyId) : undefined;
        if (typeof keyId !== "string" || (!arn && !keyIdPattern.test(keyId))) {
            problems.push(
                `[keyId] ${JSON.stringify(keyId ?? "")} is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).`,
            );
        } else if (
            arn &&
            known(regionId) &&
            typeof regionId === "string" &&
            arn.regionId !== regionId
        ) {
            problems.push(
                `[keyId] "${keyId}" is a key in ${arn.regionId}, but [regionId] is "${regionId}": the key and the cluster must be in the same region.`,
            );
        }
    }
    if (known(regionId) && (typeof regionId !== "string" || !regionIdPattern.test(regionId))) {
        problems.push(
            `[regionId] ${JSON.stringify(regionId ?? "")} is not a region id: give one such as cn-hangzhou.`,
        );
    }
    const endpointProblem = (name: string, value: unknown, parse: (e: string) => unknown) => {
        if (value === undefined || !known(value)) {
            return;
        }
        try {
            parse(String(value));
        } catch (error) {
            problems.push((error as Error).message.replace(/^\[endpoint\]/, `[${name}]`));
        }
    };
    endpointProblem("csEndpoint", csEndpoint, parseEndpoint);
    endpointProblem("kmsEndpoint", kmsEndpoint, (e) => kmsEndpointParser()(e));
    return problems;
}
