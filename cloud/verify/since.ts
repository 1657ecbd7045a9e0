// The `--since` option of verify and audit: how far back ActionTrail events are looked up.

/** ActionTrail keeps events for 90 days. */
export const maxLookbackDays = 90;

/**
 * A `--since` value: a duration back from now (`30m`, `24h`, `7d`) or an ISO 8601 time.
 * Throws a message naming the option.
 */
export function parseSince(value: string, now: Date = new Date()): Date {
    const duration = /^([1-9][0-9]*)([mhd])$/.exec(value.trim());
    let since: Date | undefined;
    if (duration) {
        const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as "m" | "h" | "d"];
        since = new Date(now.getTime() - Number(duration[1]) * unitMs);
    } else if (/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(value.trim())) {
        const parsed = Date.parse(value.trim());
        since = Number.isNaN(parsed) ? undefined : new Date(parsed);
    }
    if (!since) {
        throw new Error(
            `[--since] "${value}" is not a duration or a time: use e.g. 30m, 24h, 7d or 2026-01-31T00:00:00Z.`,
        );
    }
    if (since.getTime() > now.getTime()) {
        throw new Error(`[--since] "${value}" is in the future: give a time in the past.`);
    }
    if (now.getTime() - since.getTime() > maxLookbackDays * 86_400_000) {
        throw new Error(
            `[--since] "${value}" is more than ${maxLookbackDays} days ago: ActionTrail keeps events for ${maxLookbackDays} days.`,
        );
    }
    return since;
}
