// Waivers: a named person accepts one policy's finding on one resource (or cluster) until a date,
// for a stated reason. One module for the pack (policy/waivedPolicy.ts applies it to each policy)
// and for `ack-kms audit` (which matches cluster ids); it imports only the RAM pattern matcher
// (policy/ram/documents.ts), whose `*` / `?` patterns waivers share, so both can load it.
//
// A waiver is `{ policy, resource, reason, owner, expires }`:
// - `resource` is a URN or a name pattern (`*` any run of characters, `?` one): a pattern holding
//   "::" or starting with "urn:" is matched against the finding's URN, any other against its
//   resource name (in audit, the cluster id);
// - `expires` is a date, YYYY-MM-DD (UTC): the waiver holds through that day;
// - a waiver without a reason, owner or expiry is rejected: nobody could tell later why it exists,
//   who answers for it, or when to look again.
import { ramResourceMatches } from "./ram/documents";

/** A parsed, valid waiver. */
export interface Waiver {
    policy: string;
    resource: string;
    reason: string;
    owner: string;
    /** The last day the waiver holds, YYYY-MM-DD as given. */
    expires: string;
    /** The first instant it no longer holds: the day after `expires`, 00:00 UTC, in ms. */
    expiresAtMs: number;
}

export interface WaiverList {
    waivers: Waiver[];
    /** One sentence per rejected entry: `[waivers[1].reason] is missing: ...`. */
    problems: string[];
}

/** What a finding is about, to match waivers against. */
export interface WaiverTarget {
    policy: string;
    /** The finding's URN; absent for stack-wide findings and in audit. */
    urn?: string;
    /** The resource's name (from the URN when not given), or in audit the cluster id. */
    name?: string;
}

const datePattern = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const day = 24 * 60 * 60 * 1000;

/** The JSON schema of a waiver list in a policy's config; `policy` may be left out there. */
export const waiversConfigSchema = {
    type: "array" as const,
    default: [] as unknown[],
    description:
        "Accepted findings of this policy: { resource (URN or name pattern), reason, owner, expires (YYYY-MM-DD) }.",
    items: {
        type: "object" as const,
        required: ["resource", "reason", "owner", "expires"],
        additionalProperties: false,
        properties: {
            policy: { type: "string" as const, minLength: 1 },
            resource: { type: "string" as const, minLength: 1 },
            reason: { type: "string" as const, pattern: "\\S" },
            owner: { type: "string" as const, pattern: "\\S" },
            expires: { type: "string" as const, pattern: datePattern.source },
        },
    },
};

function show(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The first instant after the day `date` (YYYY-MM-DD), or undefined when it is no calendar date. */
function dayAfter(date: string): number | undefined {
    const match = datePattern.exec(date);
    if (!match) {
        return undefined;
    }
    const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const start = Date.UTC(year, month - 1, dayOfMonth);
    const back = new Date(start);
    if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== dayOfMonth) {
        return undefined; // 2025-02-30 and the like
    }
    return start + day;
}

/**
 * Parses a waiver list. `argument` names it in problems (`waivers`, `--waivers`); `policy`, when
 * given, is the policy whose config holds the list: entries may leave `policy` out, and one naming
 * another policy is rejected. Never throws.
 */
export function parseWaivers(
    value: unknown,
    options: { argument?: string; policy?: string } = {},
): WaiverList {
    const argument = options.argument ?? "waivers";
    if (value === undefined || value === null) {
        return { waivers: [], problems: [] };
    }
    if (!Array.isArray(value)) {
        return {
            waivers: [],
            problems: [
                `[${argument}] ${show(value)} is not a list: use a list of { policy, resource, reason, owner, expires }.`,
            ],
        };
    }
    const waivers: Waiver[] = [];
    const problems: string[] = [];
    value.forEach((entry: unknown, index) => {
        const at = `${argument}[${index}]`;
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            problems.push(
                `[${at}] ${show(entry)} is not a waiver: use { policy, resource, reason, owner, expires }.`,
            );
            return;
        }
        const fields = entry as Record<string, unknown>;
        const text = (key: string): string | undefined => {
            const v = fields[key];
            return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
        };
        const entryProblems: string[] = [];
        const need = (key: string, what: string): string | undefined => {
            const v = text(key);
            if (v === undefined) {
                entryProblems.push(
                    fields[key] !== undefined && fields[key] !== null
                        ? `[${at}.${key}] ${show(fields[key])} is not allowed: ${what}`
                        : `[${at}.${key}] is missing: ${what}`,
                );
            }
            return v;
        };
        const policy =
            text("policy") ??
            (options.policy && !("policy" in fields) ? options.policy : undefined);
        if (policy === undefined) {
            need("policy", "a waiver names the policy it waives.");
        } else if (options.policy && policy !== options.policy) {
            entryProblems.push(
                `[${at}.policy] "${policy}" is not this policy: list the waiver under "${policy}" in the policy config, or leave the field out.`,
            );
        }
        const resource = need("resource", "a waiver names a URN or a name pattern.");
        const reason = need("reason", "a waiver says why the finding is accepted.");
        const owner = need("owner", "a waiver names who answers for it.");
        const expires = need("expires", "a waiver needs an expiry date, YYYY-MM-DD.");
        let expiresAtMs: number | undefined;
        if (expires !== undefined) {
            expiresAtMs = dayAfter(expires);
            if (expiresAtMs === undefined) {
                entryProblems.push(
                    `[${at}.expires] ${show(fields.expires)} is not a date: use YYYY-MM-DD.`,
                );
            }
        }
        const unknownKeys = Object.keys(fields).filter(
            (k) => !["policy", "resource", "reason", "owner", "expires"].includes(k),
        );
        for (const key of unknownKeys) {
            entryProblems.push(
                `[${at}.${key}] is not a waiver field: use policy, resource, reason, owner, expires.`,
            );
        }
        if (entryProblems.length > 0) {
            problems.push(...entryProblems);
            return;
        }
        waivers.push({
            policy: policy!,
            resource: resource!,
            reason: reason!,
            owner: owner!,
            expires: expires!,
            expiresAtMs: expiresAtMs!,
        });
    });
    return { waivers, problems };
}

/** Whether the waiver's day has passed at `now`. */
export function isExpired(waiver: Waiver, now: Date = new Date()): boolean {
    return now.getTime() >= waiver.expiresAtMs;
}

/** The waivers of the list whose day has passed. */
export function expiredWaivers(waivers: Waiver[], now: Date = new Date()): Waiver[] {
    return waivers.filter((w) => isExpired(w, now));
}

/** The resource name in a URN (`urn:pulumi:stack::project::type::name`), or undefined. */
export function nameFromUrn(urn: string): string | undefined {
    const at = urn.lastIndexOf("::");
    return urn.startsWith("urn:") && at >= 0 ? urn.slice(at + 2) : undefined;
}

/** Whether the waiver's pattern matches against URNs rather than names. */
function matchesUrns(pattern: string): boolean {
    return pattern.startsWith("urn:") || pattern.includes("::");
}

/**
 * Whether a waiver names this resource (whatever the policy): a URN pattern against the URN, a
 * name pattern against the name. A stack-wide finding (no URN, no name) is named only by "*".
 */
export function waiverNamesResource(waiver: Waiver, target: Omit<WaiverTarget, "policy">): boolean {
    if (matchesUrns(waiver.resource)) {
        return target.urn !== undefined && ramResourceMatches(waiver.resource, target.urn);
    }
    const name = target.name ?? (target.urn ? nameFromUrn(target.urn) : undefined);
    if (name === undefined) {
        return waiver.resource === "*";
    }
    return ramResourceMatches(waiver.resource, name);
}

/** Whether a waiver covers this finding: same policy, and it names the resource. */
export function waiverMatches(waiver: Waiver, target: WaiverTarget): boolean {
    return waiver.policy === target.policy && waiverNamesResource(waiver, target);
}

/**
 * The waiver that covers a finding: the first valid one that matches, else the first expired one
 * that matches (which no longer waives: the caller fails the run with `expiredWaiverMessage`).
 */
export function findWaiver(
    waivers: Waiver[],
    target: WaiverTarget,
    now: Date = new Date(),
): { waiver: Waiver; expired: boolean } | undefined {
    const matching = waivers.filter((w) => waiverMatches(w, target));
    const valid = matching.find((w) => !isExpired(w, now));
    if (valid) {
        return { waiver: valid, expired: false };
    }
    return matching.length > 0 ? { waiver: matching[0], expired: true } : undefined;
}

/** The waiver in messages: `waiver of <policy> for "<resource>" (owner <owner>)`. */
export function describeWaiver(waiver: Waiver): string {
    return `waiver of ${waiver.policy} for "${waiver.resource}" (owner ${waiver.owner})`;
}

/** The failure an expired waiver causes, naming it and its owner. */
export function expiredWaiverMessage(waiver: Waiver): string {
    return `The ${describeWaiver(waiver)} expired on ${waiver.expires}: fix the finding, or have ${waiver.owner} renew the waiver with a new expiry date.`;
}

const waivedPrefix = "Waived until ";
const waivedPattern = /^Waived until (\d{4}-\d{2}-\d{2}) by (.*?) \((.*?)\): ([\s\S]*)$/;

/** How a waived finding is still shown: advisory, with the waiver before the finding's message. */
export function waivedMessage(waiver: Waiver, message: string): string {
    return `${waivedPrefix}${waiver.expires} by ${waiver.owner} (${waiver.reason}): ${message}`;
}

export interface WaivedFinding {
    expires: string;
    owner: string;
    reason: string;
    /** The finding's own message. */
    message: string;
}

/** Reads a message made by `waivedMessage` back (for reports); undefined for any other message. */
export function parseWaivedMessage(message: string): WaivedFinding | undefined {
    if (!message.startsWith(waivedPrefix)) {
        return undefined;
    }
    const match = waivedPattern.exec(message);
    return match
        ? { expires: match[1], owner: match[2], reason: match[3], message: match[4] }
        : undefined;
}
