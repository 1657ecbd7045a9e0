// Shared by every dynamic provider (components/keyDeletionGuard/, existingClusterEncryption/);
// what only one provider needs lives in its component's folder.
//
// Checks the dynamic resources' inputs share, in the components (at declaration time) and in the
// provider operations (at run time): key id, region and endpoint overrides, values not known yet,
// and how problems reach the engine. Nothing here loads an Alibaba Cloud SDK.

import { keyIdOf, regionIdPattern } from "../../policy/facts";
import { judgeKeyId } from "../../policy/verdicts/keyId";
import { unknownSentinel } from "../../policy/verdicts/known";
import { describeValue, isKnown } from "../validation";

export { redactTexts } from "./redaction";

/** A value as messages quote it; a value left out reads as "". */
export function shown(value: unknown): string {
    return describeValue(value === undefined ? "" : value);
}

/** What a dynamic provider host receives for a value not known yet (preview); validation skips it. */
export const unknownValue = unknownSentinel;

/** Longest cluster, instance or region id taken. */
export const maxIdLength = 128;

/** What a key id input that is none is told, after `[arg] "value" `. */
export const notAKeyIdHint =
    "is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).";

/** A key id or ARN; an ARN must name the same region as `regionId` (when that is known). */
export function keyIdProblems(keyId: unknown, regionId: unknown): string[] {
    if (!isKnown(keyId)) {
        return [];
    }
    const judged = judgeKeyId(keyId);
    if (judged.verdict === "notKeyId") {
        return [`[keyId] ${shown(keyId)} ${notAKeyIdHint}`];
    }
    const arn = judged.arn;
    if (arn && isKnown(regionId) && typeof regionId === "string" && arn.regionId !== regionId) {
        return [
            `[keyId] ${shown(keyId)} is a key in ${arn.regionId}, but [regionId] is ${shown(regionId)}: the key and the cluster must be in the same region.`,
        ];
    }
    return [];
}

export function regionIdProblems(regionId: unknown): string[] {
    if (
        isKnown(regionId) &&
        (typeof regionId !== "string" ||
            regionId.length > maxIdLength ||
            !regionIdPattern.test(regionId))
    ) {
        return [`[regionId] ${shown(regionId)} is not a region id: give one such as cn-hangzhou.`];
    }
    return [];
}

/**
 * An endpoint override that `parse` refuses, its message naming the argument `name`. An override
 * left out or not known yet is fine; anything but a string is refused before `parse` sees it.
 */
export function endpointProblems(
    name: string,
    value: unknown,
    parse: (endpoint: string) => unknown,
): string[] {
    if (value === undefined || !isKnown(value)) {
        return [];
    }
    if (typeof value !== "string") {
        return [
            `[${name}] ${shown(value)} is not an endpoint: give a host name or an http(s) URL as a string.`,
        ];
    }
    try {
        parse(value);
        return [];
    } catch (error) {
        return [(error as Error).message.replace(/^\[endpoint\]/, `[${name}]`)];
    }
}

/** Validation problems as check failures, each on the argument its message names in brackets. */
export function checkFailures(
    problems: string[],
    fallbackProperty: string,
): { property: string; reason: string }[] {
    return problems.map((reason) => ({
        property: /^\[(\w+)\]/.exec(reason)?.[1] ?? fallbackProperty,
        reason,
    }));
}

/** Whether any of `names` differs between the old and new inputs (absent counts as ""). */
export function anyInputChanged<T>(olds: T, news: T, names: readonly (keyof T)[]): boolean {
    return names.some((name) => (olds[name] ?? "") !== (news[name] ?? ""));
}

/**
 * The values of the inputs named in `secretInputs` (the inputs the program gave as secrets): the
 * provider host receives every value in plain text, so this list is how a provider knows what to
 * write as `[secret]` in its log, check failures and errors. A secret `keyId` brings the key id
 * inside it too (when it is an ARN), as messages name the key by its bare id.
 */
export function secretInputTexts(inputs: object | undefined): string[] {
    const record = (inputs ?? {}) as Record<string, unknown>;
    const names = Array.isArray(record.secretInputs) ? record.secretInputs : [];
    return names
        .filter((name): name is string => typeof name === "string" && name !== "secretInputs")
        .flatMap((name) => {
            const value = record[name];
            if (typeof value !== "string") {
                return [];
            }
            return name === "keyId" && keyIdOf(value) !== value ? [value, keyIdOf(value)] : [value];
        });
}

/** Runs `operation`, writing `redact(...)` over the message and stack of what it throws. */
export async function redactingErrors<T>(
    redact: (text: string) => string,
    operation: () => Promise<T>,
): Promise<T> {
    try {
        return await operation();
    } catch (error) {
        if (error instanceof Error) {
            error.message = redact(error.message);
            if (error.stack) {
                error.stack = redact(error.stack);
            }
        }
        throw error;
    }
}
