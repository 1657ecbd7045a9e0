// A local ActionTrail RPC API answering LookupEvents from a list of events, newest first, 50 per
// page at most, filtered by time range and one LookupAttribute, as the real service does.
import { randomUUID } from "crypto";
import { EmulatorCredential, serveSignedApi } from "./roaSignature";

export interface EmulatedEvent {
    eventName: string;
    eventTime: string;
    serviceName?: string;
    userName?: string;
    userType?: string;
    keyId?: string;
    /** The error KMS answered the call with, when it refused it. */
    errorCode?: string;
}

export interface ActionTrailEmulator {
    url: string;
    events: EmulatedEvent[];
    /** The parameters of every LookupEvents call. */
    lookups: Array<Record<string, string>>;
    rejectedSignatures(): number;
    close(): Promise<void>;
}

const attributeFields: Record<string, (e: EmulatedEvent) => string | undefined> = {
    EventName: (e) => e.eventName,
    ServiceName: (e) => e.serviceName,
    User: (e) => e.userName,
};

function toApiEvent(event: EmulatedEvent, index: number): Record<string, unknown> {
    return {
        eventId: `event-${index}`,
        eventName: event.eventName,
        eventTime: event.eventTime,
        eventType: "ApiCall",
        serviceName: event.serviceName ?? "Kms",
        acsRegion: "cn-hangzhou",
        userIdentity: {
            type: event.userType ?? "assumed-role",
            userName: event.userName,
            accountId: "1234567890123456",
        },
        requestParameters: event.keyId ? { KeyId: event.keyId } : {},
        errorCode: event.errorCode ?? "",
    };
}

export async function startActionTrailEmulator(options: {
    credentials: EmulatorCredential[];
    events?: EmulatedEvent[];
}): Promise<ActionTrailEmulator> {
    const events = options.events ?? [];
    const lookups: Array<Record<string, string>> = [];
    const server = await serveSignedApi(options.credentials, (request) => {
        const parameters = Object.fromEntries(request.query.entries());
        const action = request.headers["x-acs-action"];
        if (action !== "LookupEvents" || request.headers["x-acs-version"] !== "2020-07-06") {
            return {
                statusCode: 404,
                body: {
                    Code: "InvalidAction.NotFound",
                    Message: `${String(action)}`,
                    RequestId: randomUUID(),
                },
            };
        }
        lookups.push(parameters);
        const start = Date.parse(parameters.StartTime ?? "");
        const end = Date.parse(parameters.EndTime ?? "");
        if (Number.isNaN(start) || Number.isNaN(end) || start > end) {
            return {
                statusCode: 400,
                body: {
                    Code: "InvalidTimeRange",
                    Message: "StartTime and EndTime must be ISO 8601 and in order.",
                    RequestId: randomUUID(),
                },
            };
        }
        const maxResults = Math.min(Number(parameters.MaxResults ?? "20"), 50);
        const key = parameters["LookupAttribute.1.Key"];
        const value = parameters["LookupAttribute.1.Value"];
        const selected = events
            .map((event, index) => ({ event, index }))
            .filter(({ event }) => {
                const at = Date.parse(event.eventTime);
                return at >= start && at <= end;
            })
            .filter(({ event }) => !key || attributeFields[key]?.(event) === value)
            .sort((a, b) => Date.parse(b.event.eventTime) - Date.parse(a.event.eventTime));
        const offset = parameters.NextToken ? Number(parameters.NextToken) : 0;
        const page = selected.slice(offset, offset + maxResults);
        const next =
            offset + maxResults < selected.length ? String(offset + maxResults) : undefined;
        return {
            statusCode: 200,
            body: {
                RequestId: randomUUID(),
                StartTime: parameters.StartTime,
                EndTime: parameters.EndTime,
                Events: page.map(({ event, index }) => toApiEvent(event, index)),
                ...(next ? { NextToken: next } : {}),
            },
        };
    });
    return {
        url: server.url,
        events,
        lookups,
        rejectedSignatures: () => server.rejected.length,
        close: () => server.close(),
    };
}
