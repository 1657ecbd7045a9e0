// ActionTrail LookupEvents (API 2020-07-06), to see whether ACK really calls KMS: the ACK guide's
// check is Encrypt and Decrypt events made by assuming the aliyuncsmanagedsecurityrole role.

import { CloudCredentials } from "./credentials";
import { createRpcClient, flattenRpcParameters, RpcClient } from "./openApiCall";

export const actionTrailApiVersion = "2020-07-06";

/** The session ACK's KMS calls run under; ActionTrail shows it lower case. */
export const securityRoleSessionPrefix = "aliyuncsmanagedsecurityrole";

/** The KMS actions envelope encryption of Secrets makes. */
export const secretEncryptionEventNames = ["Encrypt", "Decrypt"] as const;

export interface ActionTrailClientOptions {
    regionId: string;
    /** Host or http(s) URL. Defaults to `actiontrail.<regionId>.aliyuncs.com`. */
    endpoint?: string;
    credentials: CloudCredentials;
    timeoutMs?: number;
}

export function createActionTrailClient(options: ActionTrailClientOptions): RpcClient {
    return createRpcClient({
        service: "ActionTrail",
        apiVersion: actionTrailApiVersion,
        endpoint: options.endpoint ?? `actiontrail.${options.regionId}.aliyuncs.com`,
        regionId: options.regionId,
        credentials: options.credentials,
        timeoutMs: options.timeoutMs,
    });
}

/** The part of an ActionTrail event the checks read. */
export interface TrailEvent {
    eventName: string;
    eventTime: string;
    serviceName?: string;
    userName?: string;
    userType?: string;
    keyId?: string;
    errorCode?: string;
}

/** ActionTrail's time format: ISO 8601 in UTC, whole seconds. */
export function actionTrailTime(date: Date): string {
    return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function asRecord(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function asString(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

export function toTrailEvent(raw: unknown): TrailEvent {
    const event = asRecord(raw);
    const identity = asRecord(event.userIdentity);
    const parameters = asRecord(event.requestParameters);
    return {
        eventName: asString(event.eventName) ?? "",
        eventTime: asString(event.eventTime) ?? "",
        serviceName: asString(event.serviceName),
        userName: asString(identity.userName) ?? asString(parameters.stsTokenPrincipalName),
        userType: asString(identity.type),
        keyId: asString(parameters.KeyId),
        errorCode: asString(event.errorCode),
    };
}

/** Whether the event was made by ACK through its managed security role (`<role>:<session>`). */
export function isBySecurityRole(event: TrailEvent): boolean {
    const user = (event.userName ?? "").toLowerCase();
    return user === securityRoleSessionPrefix || /^aliyuncsmanagedsecurityrole[:/]/.test(user);
}

export interface LookupOptions {
    eventName: string;
    since: Date;
    until?: Date;
    /** Stop after this many pages of 50 events. Defaults to 10. */
    maxPages?: number;
    /** Stop once this many matching events are found. Defaults to 1. */
    enough?: number;
    matches?(event: TrailEvent): boolean;
}

export interface LookupResult {
    matching: TrailEvent[];
    scanned: number;
    pages: number;
    /** True when the pages ran out before the time range did. */
    truncated: boolean;
}

/** Pages through LookupEvents for one event name, keeping the events `matches` accepts. */
export async function lookupEvents(
    client: RpcClient,
    options: LookupOptions,
): Promise<LookupResult> {
    const maxPages = options.maxPages ?? 10;
    const enough = options.enough ?? 1;
    const matches = options.matches ?? (() => true);
    const result: LookupResult = { matching: [], scanned: 0, pages: 0, truncated: false };
    let nextToken: string | undefined;
    do {
        const answer = await client.call(
            "LookupEvents",
            flattenRpcParameters({
                StartTime: actionTrailTime(options.since),
                EndTime: actionTrailTime(options.until ?? new Date()),
                MaxResults: 50,
                NextToken: nextToken,
                LookupAttribute: [{ Key: "EventName", Value: options.eventName }],
            }),
        );
        result.pages++;
        const events = Array.isArray(answer.Events) ? answer.Events : [];
        for (const raw of events) {
            result.scanned++;
            const event = toTrailEvent(raw);
            if (event.eventName === options.eventName && matches(event)) {
                result.matching.push(event);
            }
        }
        nextToken = asString(answer.NextToken);
        if (result.matching.length >= enough) {
            return result;
        }
    } while (nextToken && result.pages < maxPages);
    result.truncated = nextToken !== undefined;
    return result;
}
