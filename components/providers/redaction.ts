// Shared by every dynamic provider (components/keyDeletionGuard/, existingClusterEncryption/);
// what only one provider needs lives in its component's folder.
//
// How a secret is kept out of a message: one rule for the dynamic providers' logs and errors and
// for plan's reports. Imports nothing, so plan's CLI can use it without loading the SDK.

/** What a secret value is written as. */
export const secretText = "[secret]";

/**
 * Writes each of `texts` as `[secret]` in `text`, also in its JSON-escaped form (how messages quote
 * it), longest first so a value holding another (an ARN and its key id) goes whole. Texts shorter
 * than 3 characters are left, as replacing them would garble the message and hide nothing.
 */
export function redactTexts(texts: readonly string[], text: string): string {
    const forms = texts
        .filter((value) => value.trim().length >= 3)
        .flatMap((value) => [value, JSON.stringify(value).slice(1, -1)])
        .sort((a, b) => b.length - a.length);
    let redacted = text;
    for (const form of forms) {
        redacted = redacted.split(form).join(secretText);
    }
    return redacted;
}
