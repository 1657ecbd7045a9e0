// Who relies on a key's deletion protection, written where every stack can read it: the key's own
// DeletionProtectionDescription. Each KeyDeletionGuard holds a random token (kept in its state) and
// adds one entry, `<boundTo> [<token>]`, to the list; deleting a guard removes only its entry, and a
// guard may turn protection off only when the list it re-reads names it alone.
//
//   Protected by ack-kms KeyDeletionGuard for: ACK cluster prod [3f9c0a1b2d4e]; ACK cluster dr [77aa01bc9e3f].
//   Deleting or disabling this key breaks their Kubernetes Secrets.
//
// Fail closed: a description not in this form (set by a person, another tool, or an older ack-kms)
// is never rewritten and never released; a list too long to take another entry ends with
// `(more)`, which no guard ever removes, so a holder that could not be recorded is never forgotten.
// Pure functions: no SDK, no I/O.

import { randomBytes } from "crypto";

/**
 * The longest description this guard writes. The KMS API reference (SetDeletionProtection,
 * DescribeKey) gives no limit for DeletionProtectionDescription; 256 characters is below what
 * earlier ack-kms versions wrote (up to 268) without a refusal, and a safe bound until KMS
 * documents one.
 */
export const maxProtectionDescriptionLength = 256;

/** How much of `boundTo` an entry keeps, so a few holders fit in the limit. */
export const maxEntryNameLength = 40;

const prefix = "Protected by ack-kms KeyDeletionGuard for: ";
const suffix = ". Deleting or disabling this key breaks their Kubernetes Secrets.";
const separator = "; ";
/** The last entry of a list that could not take every holder. Never removed. */
export const overflowEntry = "(more)";
const tokenPattern = /^[0-9a-f]{12}$/;
const entryPattern = /^(.+) \[([0-9a-f]{12})\]$/;

/** A new holder token: 48 random bits, hex. */
export function newHolderToken(): string {
    return randomBytes(6).toString("hex");
}

export function isHolderToken(value: unknown): value is string {
    return typeof value === "string" && tokenPattern.test(value);
}

/** One holder's entry: `boundTo` shortened, brackets and separators neutralised, then the token. */
export function holderEntry(token: string, boundTo: string): string {
    return `${holderName(boundTo)} [${token}]`;
}

/** `boundTo` as a holder entry writes it: shortened, brackets and separators neutralised. */
export function holderName(boundTo: string): string {
    let name = boundTo
        .replace(/\s+/g, " ")
        .replace(/\[/g, "(")
        .replace(/\]/g, ")")
        .replace(/;/g, ",")
        .trim();
    if (name.length > maxEntryNameLength) {
        name = `${name.slice(0, maxEntryNameLength - 3)}...`;
    }
    return name || "?";
}

export interface HolderList {
    /** Entries in order, `(more)` excluded. */
    entries: string[];
    /** Tokens of the entries, in order. */
    tokens: string[];
    /** Some holder could not be recorded: nobody may ever release the key. */
    overflow: boolean;
}

/** The description listing `entries` (plus `(more)` on overflow). */
export function formatHolders(entries: readonly string[], overflow = false): string {
    return `${prefix}${[...entries, ...(overflow ? [overflowEntry] : [])].join(separator)}${suffix}`;
}

/** The holder list in a description, or undefined when the description is not one of ours. */
export function parseHolders(description: string | undefined): HolderList | undefined {
    if (
        description === undefined ||
        !description.startsWith(prefix) ||
        !description.endsWith(suffix)
    ) {
        return undefined;
    }
    const parts = description
        .slice(prefix.length, description.length - suffix.length)
        .split(separator);
    const list: HolderList = { entries: [], tokens: [], overflow: false };
    for (const [index, part] of parts.entries()) {
        if (part === overflowEntry && index === parts.length - 1) {
            list.overflow = true;
            continue;
        }
        const match = entryPattern.exec(part);
        if (!match) {
            return undefined;
        }
        list.entries.push(part);
        list.tokens.push(match[2]);
    }
    return list.entries.length > 0 || list.overflow ? list : undefined;
}

export type AddOutcome =
    /** The description now holds `entry` (it may be unchanged). */
    | { kind: "recorded"; description: string }
    /** No room for `entry`: the description ends with `(more)` instead. */
    | { kind: "overflow"; description: string }
    /** Protection was set by someone else, in words that are not ours: left as it is. */
    | { kind: "foreign" };

/**
 * The description once `entry` (token `token`) is added to `current`, the key's description while
 * protection is on (`undefined` when protection is off, which starts a new list). An entry of the
 * same token is replaced (a new `boundTo`).
 */
export function addHolder(
    current: { protectionOn: boolean; description?: string },
    token: string,
    entry: string,
): AddOutcome {
    if (!current.protectionOn) {
        // A single entry always fits: its name is at most 40 characters.
        return { kind: "recorded", description: formatHolders([entry]) };
    }
    const list = parseHolders(current.description);
    if (!list) {
        return { kind: "foreign" };
    }
    const index = list.tokens.indexOf(token);
    const entries = [...list.entries];
    if (index >= 0) {
        entries[index] = entry;
    } else {
        entries.push(entry);
    }
    const description = formatHolders(entries, list.overflow);
    if (description.length <= maxProtectionDescriptionLength - (list.overflow ? 0 : 9)) {
        return { kind: "recorded", description };
    }
    if (index >= 0) {
        // Our entry is there already, only its name grew: keep the old entry.
        return { kind: "recorded", description: formatHolders(list.entries, list.overflow) };
    }
    // Room is always kept for "; (more)" (9 characters) when a list is written, so this fits.
    return { kind: "overflow", description: formatHolders(list.entries, true) };
}

/**
 * The description without the entry of `token`, or undefined when there is nothing to write: the
 * description is not ours, does not list `token`, or lists it alone (an empty list is not written;
 * whether the key is released then is the caller's decision). The result may list only `(more)`.
 */
export function removeHolder(description: string | undefined, token: string): string | undefined {
    const list = parseHolders(description);
    if (!list || !list.tokens.includes(token)) {
        return undefined;
    }
    const entries = list.entries.filter((_, index) => list.tokens[index] !== token);
    return entries.length > 0 || list.overflow ? formatHolders(entries, list.overflow) : undefined;
}
