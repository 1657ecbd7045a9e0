// KeyDeletionGuard's inputs and their validation, shared by the component (at declaration time) and
// the provider operations (at run time). Nothing here loads an Alibaba Cloud SDK, so declaring a
// stack that merely imports ack-kms stays fast.

import { parseKmsEndpoint } from "../../cloud/endpoints";
import { describeValue, isKnown, plainValueProblem, secretText } from "../validation";
import {
    endpointProblems,
    keyIdProblems,
    redactTexts,
    regionIdProblems,
    secretInputTexts,
    shown,
} from "../providers/inputChecks";
import { holderName } from "./holders";

export { unknownValue } from "../providers/inputChecks";

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
     * ./operations (deleteGuard). Absent or false: protection stays on.
     */
    releaseProtectionOnDelete?: boolean;
    /**
     * The inputs the program gave as secrets. The provider host receives every value in plain text,
     * so this list is how the provider knows to write them as `[secret]` in its log and errors.
     */
    secretInputs?: string[];
}

/** The inputs whose secretness the component records in `secretInputs`. */
export const redactableGuardInputs = ["keyId", "regionId", "boundTo", "endpoint"] as const;

/**
 * Writes the inputs named in `secretInputs` of each of `states` as `[secret]`, together with what
 * derives from them in messages: the key id inside a secret ARN (secretInputTexts, shared with
 * ExistingClusterEncryption), and the shortened `boundTo` a holder entry writes.
 */
export function guardRedactor(
    ...states: ReadonlyArray<Partial<KeyDeletionGuardInputs> | undefined>
): (text: string) => string {
    const texts = states.flatMap((state) => {
        const values = secretInputTexts(state);
        const names: unknown[] = Array.isArray(state?.secretInputs) ? state.secretInputs : [];
        if (names.includes("boundTo") && typeof state?.boundTo === "string") {
            values.push(holderName(state.boundTo));
        }
        return values;
    });
    return texts.length === 0 ? (text) => text : (text) => redactTexts(texts, text);
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
    /** This guard's token in the key's holder list (./holders). Absent in older states. */
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

/**
 * Problems with the key a guard is given and its region: the part of a guard's inputs another
 * component (EncryptedCluster) passes through. Values not known yet are skipped.
 */
export function guardedKeyProblems(keyId: unknown, regionId: unknown): string[] {
    return [...keyIdProblems(keyId, regionId), ...regionIdProblems(regionId)];
}

/**
 * Problems with the guard's inputs, one message each; values not known yet are skipped. A value
 * named in `secretInputs` (or being checked as a secret, ../validation redactingSecrets) is quoted
 * as `[secret]`, its length alone given.
 */
export function validateKeyDeletionGuardInputs(inputs: Partial<KeyDeletionGuardInputs>): string[] {
    const { keyId, regionId, boundTo, endpoint, releaseProtectionOnDelete } = inputs;
    const problems = guardedKeyProblems(keyId, regionId);
    if (isKnown(boundTo)) {
        if (typeof boundTo !== "string" || boundTo.trim() === "") {
            problems.push(
                typeof boundTo === "string" || boundTo === undefined
                    ? `[boundTo] ${shown(boundTo)} is empty: name what the key protects, such as the cluster name.`
                    : `[boundTo] ${shown(boundTo)} is not a string: name what the key protects, such as the cluster name.`,
            );
        } else if (boundTo.length > maxBoundToLength) {
            const secret =
                inputs.secretInputs?.includes("boundTo") || describeValue(boundTo) === secretText;
            problems.push(
                `[boundTo] ${secret ? secretText : `"${boundTo.slice(0, 20)}..."`} is ${boundTo.length} characters long: at most ${maxBoundToLength} are allowed.`,
            );
        }
    }
    problems.push(...endpointProblems("endpoint", endpoint, parseKmsEndpoint));
    if (releaseProtectionOnDelete !== undefined && typeof releaseProtectionOnDelete !== "boolean") {
        problems.push(
            plainValueProblem(
                "releaseProtectionOnDelete",
                releaseProtectionOnDelete,
                "true or false",
            ) ??
                `[releaseProtectionOnDelete] ${shown(releaseProtectionOnDelete)} is not a boolean: use true or false (a plain value).`,
        );
    }
    return problems;
}
