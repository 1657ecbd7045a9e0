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
    /**
     * Opt-in: deleting the guard may turn protection off, under the rule in
     * ./keyDeletionGuardProvider (deleteGuard). Absent or false: protection stays on.
     */
    releaseProtectionOnDelete?: boolean;
}

export interface KeyDeletionGuardOutputs extends KeyDeletionGuardInputs {
    /** The key's id as KMS reports it (also when `keyId` was an ARN). */
    kmsKeyId: string;
    keyArn: string;
    /**
     * Protection was on before this guard: the guard then never turns it off. Only an explicit
     * `false` (written by this guard's create) lets it; absent (an older state, an import) is
     * "unknown" and counts as true.
     */
    protectionWasAlreadyOn?: boolean;
    /** The key's deletion-protection description as last written or read (empty when none). */
    protectionDescription: string;
    /** This guard's token in the key's holder list (./keyDeletionGuardHolders). Absent in older states. */
    holderToken?: string;
    /**
     * The key's description lists this guard's token. False when protection was set by someone
     * else in their own words, or the list had no room (it then ends with `(more)`).
     */
    holderRecorded?: boolean;
    /** DeletionProtection as last written or read (`pulumi refresh`); "Disabled" makes the next update turn it back on. */
    deletionProtection?: "Enabled" | "Disabled";
}

export const maxBoundToLength = 128;

/** Problems with the guard's inputs, one message each; values not known yet are skipped. */
export function validateKeyDeletionGuardInputs(inputs: Partial<KeyDeletionGuardInputs>): string[] {
    const { keyId, regionId, boundTo, endpoint, releaseProtectionOnDelete } = inputs;
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
    if (releaseProtectionOnDelete !== undefined && typeof releaseProtectionOnDelete !== "boolean") {
        problems.push(
            `[releaseProtectionOnDelete] ${JSON.stringify(releaseProtectionOnDelete)} is not a boolean: use true or false (a plain value).`,
        );
    }
    return problems;
}
