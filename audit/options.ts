// What `ack-kms audit` is asked to do, and where its requests go. Endpoint overrides serve private
// endpoints and the local emulators: one for every region, or one per region (`cn-beijing=URL`).
import type { CloudCredentials } from "../cloud/credentials";
import type { RetryOptions } from "../cloud/retry";
import { regionIdPattern } from "../policy/facts";

/** An endpoint for every region (`all`) and per region, which wins. */
export interface RegionalEndpoint {
    all?: string;
    byRegion: Record<string, string>;
}

export interface AuditEndpoints {
    cs?: RegionalEndpoint;
    kms?: RegionalEndpoint;
    actiontrail?: RegionalEndpoint;
    /** RAM is global. */
    ram?: string;
    /** Billing is global. */
    bss?: string;
}

export const defaultAuditConcurrency = 8;
export const maxAuditConcurrency = 64;

export interface AuditOptions {
    regions: string[];
    /** Adds every region ACK's DescribeRegions lists. */
    allRegions?: boolean;
    credentials: CloudCredentials;
    endpoints?: AuditEndpoints;
    /** Looks for ActionTrail events from then on; no ActionTrail check without it. */
    since?: Date;
    now?: () => Date;
    /** Clusters checked at once, and regions listed at once. Defaults to 8. */
    concurrency?: number;
    timeoutMs?: number;
    /** How transient faults are retried (tests shorten the waits). */
    retry?: RetryOptions;
    /** A KMS instance ending within this many days without auto-renewal fails. Defaults to 30. */
    expiryWarningDays?: number;
    /** At most this many custom RAM policies are read. Defaults to 200. */
    maxPoliciesRead?: number;
    /** Progress lines for long runs (stderr in the CLI). */
    progress?(message: string): void;
}

export function endpointFor(
    endpoint: RegionalEndpoint | undefined,
    regionId: string,
): string | undefined {
    return endpoint?.byRegion[regionId] ?? endpoint?.all;
}

/**
 * Adds one `--<flag> URL` or `--<flag> region=URL` value to a regional endpoint. Throws a message
 * naming the flag, the value and what is allowed.
 */
export function addRegionalEndpoint(
    flag: string,
    value: string,
    previous: RegionalEndpoint = { byRegion: {} },
): RegionalEndpoint {
    const eq = value.indexOf("=");
    if (eq < 0) {
        return { ...previous, all: value };
    }
    const region = value.slice(0, eq);
    if (!regionIdPattern.test(region)) {
        throw new Error(
            `[${flag}] "${value}" names no region before "=": use URL or REGION=URL, e.g. cn-beijing=https://cs.cn-beijing.aliyuncs.com.`,
        );
    }
    return { ...previous, byRegion: { ...previous.byRegion, [region]: value.slice(eq + 1) } };
}

/** Region ids from flags: each must look like `cn-hangzhou`; duplicates dropped, order kept. */
export function validRegions(regions: string[]): string[] {
    for (const region of regions) {
        if (!regionIdPattern.test(region)) {
            throw new Error(
                `[--region] "${region}" is not a region id: use one such as cn-hangzhou or ap-southeast-1.`,
            );
        }
    }
    return [...new Set(regions)];
}
