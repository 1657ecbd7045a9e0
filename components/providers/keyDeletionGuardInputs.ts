// KeyDeletionGuard's inputs and their validation, shared by the component (at declaration time) and
// the provider operations (at run time). Nothing here loads an Alibaba Cloud SDK, so declaring a
// stack that merely imports ack-kms stays fast.

import { keyIdPattern, parseKeyArn, regionIdPattern } from "../../policy/facts";

/** The dynamic resource's inputs. `kind` marks it for policies (facts.keyDeletionGuardKind). */
export interface KeyDeletionGuardInputs {
    kind: string;
    /** The key id or ARN, as the user gave it. */
    keyId: string;
    regionId: string;
    boundTo: string;
    endpoint?: string;
}

export interface KeyDeletionGuardOutputs extends KeyDeletionGuardInputs {
    /** The key's id as KMS reports it (also when `keyId` was an ARN). */
    kmsKeyId: string;
    keyArn: string;
    /** Protection was on before this guard: the guard then never turns it off. */
    protectionWasAlreadyOn: boolean;
    /** The description this guard wrote with the protection (empty when it wrote none). */
    protectionDescription: string;
}

/** What a dynamic provider host receives for a value not known yet (preview); validation skips it. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const maxBoundToLength = 128;

/**
 * The KMS endpoint parser lives with the KMS client in cloud/kms, which loads the KMS SDK: it is
 * loaded only when an endpoint override is given.
 */
function kmsEndpointParser(): typeof import("../../cloud/kms").parseKmsEndpoint {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("../../cloud/kms") as typeof import("../../cloud/kms")).parseKmsEndpoint;
}

/** Problems with the guard's inputs, one message each; values not known yet are skipped. */
export function validateKeyDeletionGuardInputs(inputs: Partial<KeyDeletionGuardInputs>): string[] {
    const problems: string[] = [];
    const known = (value: unknown): value is string => value !== unknownValue;
    const { keyId, regionId, boundTo, endpoint } = inputs;
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
    if (known(boundTo)) {
        if (typeof boundTo !== "string" || boundTo.trim() === "") {
            problems.push(
                `[boundTo] ${JSON.stringify(boundTo ?? "")} is empty: name what the key protects, such as the cluster name.`,
            );
        } else if (boundTo.length > maxBoundToLength) {
            problems.push(
                `[boundTo] "${boundTo.slice(0, 20)}..." is ${boundTo.length} characters long: at most ${maxBoundToLength} are allowed.`,
            );
        }
    }
    if (endpoint !== undefined && known(endpoint)) {
        try {
            kmsEndpointParser()(endpoint);
        } catch (error) {
            problems.push((error as Error).message);
        }
    }
    return problems;
}
