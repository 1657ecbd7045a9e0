// The state a KeyDeletionGuard's provider writes: the inputs it keeps, and the outputs of a create or
// update once the key has been read. One definition for the provider operations (./operations)
// and for the planner's mock outputs (offline/program/outputs.ts), so the two cannot drift.
// Pure functions: no SDK, no I/O (type imports only, beside policy/facts).

import { keyDeletionGuardKind } from "../../policy/facts";
import type { KeyDeletionGuardInputs, KeyDeletionGuardOutputs } from "./inputs";

/** How a create or update left the key's holder list (./holders addHolder). */
export type HoldOutcome = "recorded" | "overflow" | "foreign";

/** What of the key, as DescribeKey reports it, a guard's outputs hold. */
export interface GuardKeyFacts {
    keyId: string;
    arn: string;
    deletionProtection?: "Enabled" | "Disabled";
    deletionProtectionDescription?: string;
}

/** The inputs a guard keeps in its state: the ones it knows, `kind` always its own. */
export function pickGuardInputs(raw: KeyDeletionGuardInputs): KeyDeletionGuardInputs {
    const inputs: KeyDeletionGuardInputs = {
        kind: keyDeletionGuardKind,
        keyId: raw.keyId,
        regionId: raw.regionId,
        boundTo: raw.boundTo,
    };
    if (raw.endpoint !== undefined) {
        inputs.endpoint = raw.endpoint;
    }
    if (raw.releaseProtectionOnDelete !== undefined) {
        inputs.releaseProtectionOnDelete = raw.releaseProtectionOnDelete;
    }
    if (Array.isArray(raw.secretInputs) && raw.secretInputs.length > 0) {
        inputs.secretInputs = raw.secretInputs.filter((name) => typeof name === "string");
    }
    return inputs;
}

/** The outputs of a create or update that read `key` after holding its protection. */
export function guardOutputs(
    inputs: KeyDeletionGuardInputs,
    key: GuardKeyFacts,
    guard: { protectionWasAlreadyOn: boolean; holderToken: string; outcome: HoldOutcome },
): KeyDeletionGuardOutputs {
    return {
        ...inputs,
        kmsKeyId: key.keyId,
        keyArn: key.arn,
        protectionWasAlreadyOn: guard.protectionWasAlreadyOn,
        protectionDescription: key.deletionProtectionDescription ?? "",
        holderToken: guard.holderToken,
        holderRecorded: guard.outcome === "recorded",
        deletionProtection: key.deletionProtection,
    };
}
