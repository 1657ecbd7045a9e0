// KeyDeletionGuard's inputs and their validation, shared by the component (at declaration time) and
// the provider operations (at run time). Nothing here loads an Alibaba Cloud SDK, so declaring a
// stack that merely imports ack-kms stays fast.

import { parseKmsEndpoint } from "../../cloud/endpoints";
import { endpointProblems, isKnown, keyIdProblems, regionIdProblems, shown } from "./inputChecks";

export { unknownValue } from "./inputChecks";

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

export const maxBoundToLength = 128;

/** Problems with the guard's inputs, one message each; values not known yet are skipped. */
export function validateKeyDeletionGuardInputs(inputs: Partial<KeyDeletionGuardInputs>): string[] {
    const { keyId, regionId, boundTo, endpoint } = inputs;
    const problems = [...keyIdProblems(keyId, regionId), ...regionIdProblems(regionId)];
    if (isKnown(boundTo)) {
        if (typeof boundTo !== "string" || boundTo.trim() === "") {
            problems.push(
                `[boundTo] ${shown(boundTo)} is empty: name what the key protects, such as the cluster name.`,
            );
        } else if (boundTo.length > maxBoundToLength) {
            problems.push(
                `[boundTo] "${boundTo.slice(0, 20)}..." is ${boundTo.length} characters long: at most ${maxBoundToLength} are allowed.`,
            );
        }
    }
    problems.push(...endpointProblems("endpoint", endpoint, parseKmsEndpoint));
    return problems;
}
