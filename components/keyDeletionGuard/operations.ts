// The operations behind KeyDeletionGuard: KMS DescribeKey preflight, then SetDeletionProtection.
//
// The dynamic provider host loads this module by path when a method of the serialized provider
// (./provider) runs; it reaches KMS through cloud/ (./keyProtection) with credentials read from the
// environment then. Only that provider and tests load it: the component does not.

import type * as pulumi from "@pulumi/pulumi";
import { keyDeletionGuardKind, keyIdOf, parseKeyArn } from "../../policy/facts";
import { assertKeyFitForSecrets } from "../../cloud/keyChecks";
import {
    describeKey,
    isKeyNotFoundError,
    KeyMetadata,
    setDeletionProtection,
} from "../../cloud/kms";
import { anyInputChanged, checkFailures, redactingErrors } from "../providers/inputChecks";
import { throwProblems } from "../validation";
import {
    guardRedactor,
    KeyDeletionGuardInputs,
    KeyDeletionGuardOutputs,
    validateKeyDeletionGuardInputs,
} from "./inputs";
import { guardOutputs, pickGuardInputs } from "./state";
import { holderEntry, isHolderToken, newHolderToken, parseHolders, removeHolder } from "./holders";
import {
    describeKeyInRegion,
    guardLog,
    GuardLog,
    holdProtection,
    kmsClientFor,
    logHoldOutcome,
} from "./keyProtection";
import type { KeyDeletionGuardProviderSettings } from "./settings";

/**
 * The description ack-kms versions before the holder list wrote. Such a description is not a holder
 * list (./holders), so no guard rewrites or releases it.
 */
export function guardDescription(boundTo: string): string {
    return `Protected by ack-kms KeyDeletionGuard: encrypts the Kubernetes Secrets of ${boundTo}. Deleting or disabling this key breaks that cluster's API server.`;
}

export async function checkGuard(
    _olds: unknown,
    news: KeyDeletionGuardInputs,
): Promise<pulumi.dynamic.CheckResult<KeyDeletionGuardInputs>> {
    const redact = guardRedactor(news);
    const failures = checkFailures(validateKeyDeletionGuardInputs(news).map(redact), "keyId");
    return { inputs: { ...news, kind: keyDeletionGuardKind }, failures };
}

/**
 * Never a replacement: a guard moved to another key (or region) is updated in place, so the old
 * key is never released by the delete half of a replace while it still holds Secrets not yet
 * rewritten. A state that refresh found unprotected, or that lists no holder token (an older
 * ack-kms, an import), is updated too: the update turns protection back on and records the holder.
 */
export async function diffGuard(
    _id: string,
    olds: KeyDeletionGuardOutputs,
    news: KeyDeletionGuardInputs,
): Promise<pulumi.dynamic.DiffResult> {
    const changed =
        anyInputChanged(olds, news, ["keyId", "regionId", "boundTo", "endpoint", "kind"]) ||
        (olds.releaseProtectionOnDelete === true) !== (news.releaseProtectionOnDelete === true) ||
        olds.deletionProtection === "Disabled" ||
        !isHolderToken(olds.holderToken);
    return { changes: changed, replaces: [], deleteBeforeReplace: false };
}

/** Checks the key, then turns protection on (or joins the holders of protection a guard turned on). */
export async function createGuard(
    raw: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<pulumi.dynamic.CreateResult<KeyDeletionGuardOutputs>> {
    const inputs = pickGuardInputs(raw);
    const redact = guardRedactor(inputs);
    return redactingErrors(redact, () => create(inputs, settings, guardLog(redact)));
}

async function create(
    inputs: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
    log: GuardLog,
): Promise<pulumi.dynamic.CreateResult<KeyDeletionGuardOutputs>> {
    throwProblems(validateKeyDeletionGuardInputs(inputs));
    const client = kmsClientFor(inputs, settings);
    const context = `[keyId] "${inputs.keyId}" in ${inputs.regionId}`;
    const found = await describeKeyInRegion(client, inputs);
    assertKeyFitForSecrets(found, context);
    const protectionWasAlreadyOn = found.deletionProtection === "Enabled";
    const holderToken = newHolderToken();
    const { key, outcome } = await holdProtection(
        client,
        found,
        holderToken,
        holderEntry(holderToken, inputs.boundTo),
        context,
    );
    logHoldOutcome(log, outcome, key);
    return {
        id: found.arn,
        outs: guardOutputs(inputs, key, { protectionWasAlreadyOn, holderToken, outcome }),
    };
}

/**
 * A new `boundTo` rewrites this guard's entry; protection found off (refresh) is turned back on; an
 * older or imported state gets a holder token. Another key or region moves the guard: the new key
 * is checked and protected, and the old key is not touched, so it stays protected with this
 * guard's entry still listed (it may hold Secrets not yet rewritten with the new key).
 */
export async function updateGuard(
    _id: string,
    olds: KeyDeletionGuardOutputs,
    raw: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<pulumi.dynamic.UpdateResult<KeyDeletionGuardOutputs>> {
    const inputs = pickGuardInputs(raw);
    // The old state's secrets too: a move names the old key.
    const redact = guardRedactor(olds, inputs);
    return redactingErrors(redact, () => update(olds, inputs, settings, guardLog(redact)));
}

async function update(
    olds: KeyDeletionGuardOutputs,
    inputs: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
    log: GuardLog,
): Promise<pulumi.dynamic.UpdateResult<KeyDeletionGuardOutputs>> {
    throwProblems(validateKeyDeletionGuardInputs(inputs));
    const moved =
        keyIdOf(inputs.keyId) !== (olds.kmsKeyId || keyIdOf(olds.keyId)) ||
        inputs.regionId !== olds.regionId;
    const hadToken = isHolderToken(olds.holderToken);
    const holderToken = hadToken ? olds.holderToken! : newHolderToken();
    const needsKms =
        moved ||
        !hadToken ||
        inputs.boundTo !== olds.boundTo ||
        olds.deletionProtection === "Disabled";
    if (!needsKms) {
        return {
            outs: {
                ...olds,
                ...inputs,
                ...(inputs.endpoint === undefined ? { endpoint: undefined } : {}),
                ...(inputs.releaseProtectionOnDelete === undefined
                    ? { releaseProtectionOnDelete: undefined }
                    : {}),
                ...(inputs.secretInputs === undefined ? { secretInputs: undefined } : {}),
            },
        };
    }
    const client = kmsClientFor(inputs, settings);
    const context = `[keyId] "${inputs.keyId}" in ${inputs.regionId}`;
    const found = await describeKeyInRegion(client, inputs);
    if (moved) {
        assertKeyFitForSecrets(found, context);
    }
    const { key, outcome } = await holdProtection(
        client,
        found,
        holderToken,
        holderEntry(holderToken, inputs.boundTo),
        context,
    );
    logHoldOutcome(log, outcome, key);
    if (moved) {
        log.warn(
            `KeyDeletionGuard moved from KMS key ${olds.kmsKeyId} to ${key.keyId}: ${olds.kmsKeyId} keeps its deletion protection, since Secrets may still be encrypted with it; turn it off by hand (SetDeletionProtection) once every Secret is rewritten (SecretsReencryption) and no cluster uses it.`,
        );
    }
    // Moved: what matters is whether the new key was protected before. Same key: only an explicit
    // false recorded by this guard's create stays false; unknown counts as already on.
    const protectionWasAlreadyOn = moved
        ? found.deletionProtection === "Enabled"
        : olds.protectionWasAlreadyOn !== false || !hadToken;
    return { outs: guardOutputs(inputs, key, { protectionWasAlreadyOn, holderToken, outcome }) };
}

/**
 * `pulumi refresh` and `pulumi import`: re-reads the key and reports what KMS holds now. A key that
 * is gone drops the guard. A state without this guard's holder token (import, an older ack-kms) is
 * marked as not having turned protection on (`protectionWasAlreadyOn: true`), so it can never lead
 * to protection being turned off. Read changes nothing in KMS.
 */
export async function readGuard(
    id: string,
    props: Partial<KeyDeletionGuardOutputs> | undefined,
    settings: KeyDeletionGuardProviderSettings,
): Promise<pulumi.dynamic.ReadResult<KeyDeletionGuardOutputs>> {
    return redactingErrors(guardRedactor(props), () => read(id, props ?? {}, settings));
}

async function read(
    id: string,
    state: Partial<KeyDeletionGuardOutputs>,
    settings: KeyDeletionGuardProviderSettings,
): Promise<pulumi.dynamic.ReadResult<KeyDeletionGuardOutputs>> {
    const keyRef = state.keyArn || state.kmsKeyId || state.keyId || id;
    const regionId = state.regionId || parseKeyArn(keyRef)?.regionId || parseKeyArn(id)?.regionId;
    if (!regionId) {
        throw new Error(
            `[regionId] is not known for "${id}": import the guard by the key's ARN (acs:kms:<region>:<account>:key/<key id>), or give regionId.`,
        );
    }
    const inputs = pickGuardInputs({
        kind: keyDeletionGuardKind,
        keyId: state.keyId || keyRef,
        regionId,
        boundTo: state.boundTo ?? "",
        endpoint: state.endpoint,
        releaseProtectionOnDelete: state.releaseProtectionOnDelete,
        secretInputs: state.secretInputs,
    });
    const client = kmsClientFor(inputs, settings);
    let key: KeyMetadata;
    try {
        key = await describeKey(client, keyRef);
    } catch (error) {
        if (isKeyNotFoundError(error)) {
            // An empty id tells the engine the resource no longer exists.
            return { id: "" };
        }
        throw error;
    }
    const holderToken = isHolderToken(state.holderToken) ? state.holderToken : undefined;
    const list =
        key.deletionProtection === "Enabled"
            ? parseHolders(key.deletionProtectionDescription)
            : undefined;
    const outs: KeyDeletionGuardOutputs = {
        ...inputs,
        kmsKeyId: key.keyId,
        keyArn: key.arn,
        protectionWasAlreadyOn: !(holderToken && state.protectionWasAlreadyOn === false),
        protectionDescription: key.deletionProtectionDescription ?? "",
        holderRecorded: holderToken !== undefined && (list?.tokens.includes(holderToken) ?? false),
        deletionProtection: key.deletionProtection,
    };
    if (holderToken) {
        outs.holderToken = holderToken;
    }
    return { id, props: outs };
}

/** Why deleting this guard leaves protection on; empty when the guard may turn it off. */
export function reasonsToKeepProtection(props: Partial<KeyDeletionGuardOutputs>): string[] {
    const reasons: string[] = [];
    if (props.releaseProtectionOnDelete !== true) {
        reasons.push("releaseProtectionOnDelete is not set to true");
    }
    if (props.protectionWasAlreadyOn !== false) {
        reasons.push(
            props.protectionWasAlreadyOn === true
                ? "protection was on before this guard"
                : "the state does not say this guard turned protection on",
        );
    }
    if (!isHolderToken(props.holderToken)) {
        reasons.push("the state holds no holder token (an older ack-kms or an import)");
    }
    return reasons;
}

/**
 * Leaves deletion protection on, and removes only this guard's entry from the key's holder list.
 * Turns protection off only when all of these hold: the user opted in
 * (`releaseProtectionOnDelete: true`); this guard's state says it turned protection on itself
 * (`protectionWasAlreadyOn` explicitly false) and holds its token; and the key, re-read just
 * before, has protection on with a holder list naming this guard alone (no other guard, no
 * `(more)`, no words changed by someone else). A key already gone needs nothing.
 */
export async function deleteGuard(
    _id: string,
    props: KeyDeletionGuardOutputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<void> {
    const redact = guardRedactor(props);
    return redactingErrors(redact, () => remove(props, settings, guardLog(redact)));
}

async function remove(
    props: KeyDeletionGuardOutputs,
    settings: KeyDeletionGuardProviderSettings,
    log: GuardLog,
): Promise<void> {
    const token = isHolderToken(props.holderToken) ? props.holderToken : undefined;
    const keyName = props.kmsKeyId || props.keyId;
    if (!token) {
        log.info(
            `Deletion protection of KMS key ${keyName} stays on: this guard's state holds no holder token (an older ack-kms or an import).`,
        );
        return;
    }
    const client = kmsClientFor(props, settings);
    let key: KeyMetadata;
    try {
        key = await describeKey(client, props.keyArn);
    } catch (error) {
        if (isKeyNotFoundError(error)) {
            return;
        }
        throw error;
    }
    if (key.deletionProtection !== "Enabled") {
        log.info(
            `Deletion protection of KMS key ${key.keyId} is already off (turned off outside this guard).`,
        );
        return;
    }
    const list = parseHolders(key.deletionProtectionDescription);
    const alone =
        list !== undefined &&
        !list.overflow &&
        list.tokens.length === 1 &&
        list.tokens[0] === token;
    if (alone) {
        const reasons = reasonsToKeepProtection(props);
        if (reasons.length === 0) {
            await setDeletionProtection(client, { keyArn: key.arn, enable: false });
            log.warn(
                `Deletion protection of KMS key ${key.keyId} turned off (releaseProtectionOnDelete): this guard turned it on and was its only holder.`,
            );
            return;
        }
        log.info(`Deletion protection of KMS key ${key.keyId} stays on: ${reasons.join("; ")}.`);
        return;
    }
    const without = removeHolder(key.deletionProtectionDescription, token);
    if (without !== undefined) {
        await setDeletionProtection(client, {
            keyArn: key.arn,
            enable: true,
            description: without,
        });
    }
    log.info(
        `Deletion protection of KMS key ${key.keyId} stays on: ${list === undefined ? "it was set by someone else, in their own words" : "other holders rely on it"}.`,
    );
}
