// Errors from Alibaba Cloud APIs, in one shape whatever the SDK or the transport threw, so callers
// can tell transient faults from refusals and users see the error code and RequestId support asks for.

export interface CloudApiErrorDetails {
    service: string;
    action: string;
    code: string;
    message: string;
    requestId?: string;
    statusCode?: number;
    hostId?: string;
}

/** A failed Alibaba Cloud API call: `<service> <Action> failed: <code>: <message> (RequestId: <id>)`. */
export class CloudApiError extends Error {
    public readonly service: string;
    public readonly action: string;
    public readonly code: string;
    public readonly apiMessage: string;
    public readonly requestId?: string;
    public readonly statusCode?: number;
    public readonly hostId?: string;

    constructor(details: CloudApiErrorDetails) {
        const requestIdSuffix = details.requestId ? ` (RequestId: ${details.requestId})` : "";
        super(
            `${details.service} ${details.action} failed: ${details.code}: ${details.message}${requestIdSuffix}`,
        );
        this.name = "CloudApiError";
        this.service = details.service;
        this.action = details.action;
        this.code = details.code;
        this.apiMessage = details.message;
        this.requestId = details.requestId;
        this.statusCode = details.statusCode;
        this.hostId = details.hostId;
    }
}

/** Codes given to failures that never reached an API answer. */
export const transportErrorCodes = {
    timeout: "RequestTimeout",
    connectionDropped: "ConnectionDropped",
    unreadableResponse: "UnreadableResponse",
} as const;

const droppedConnectionCodes = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT"]);

interface SdkErrorShape {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    data?: unknown;
    statusCode?: unknown;
}

function stringField(record: Record<string, unknown>, ...names: string[]): string | undefined {
    for (const name of names) {
        const value = record[name];
        if (typeof value === "string" && value !== "") {
            return value;
        }
    }
    return undefined;
}

/**
 * Transport errors quote the request URL, whose query holds the AccessKeyId, the signature and,
 * with STS credentials, the SecurityToken: keep only scheme, host and path.
 */
export function withoutQueryStrings(text: string): string {
    return text
        .replace(/(https?:\/\/[^\s?]*)\?\S*/g, "$1")
        .replace(/([^\s.])((?:GET|POST|PUT|DELETE|HEAD) https?:)/g, "$1: $2");
}

/**
 * Turns whatever an Alibaba Cloud Tea SDK call threw into a CloudApiError.
 *
 * The RPC SDKs throw a ResponseError whose `code` is the API code with "Error" appended and whose
 * `data` is the raw answer body; the HTTP status is only inside its message ("code: 404, ...").
 * Timeouts come from httpx as `RequestTimeoutError`, dropped connections as Node socket errors.
 */
export function toCloudApiError(service: string, action: string, error: unknown): CloudApiError {
    if (error instanceof CloudApiError) {
        return error;
    }
    const shape: SdkErrorShape = typeof error === "object" && error !== null ? error : {};
    const message = withoutQueryStrings(
        typeof shape.message === "string" ? shape.message : String(error),
    );
    const data =
        typeof shape.data === "object" && shape.data !== null
            ? (shape.data as Record<string, unknown>)
            : undefined;
    const apiCode = data ? stringField(data, "Code", "code") : undefined;
    if (data && apiCode) {
        const statusMatch = /\bcode: (\d{3}),/.exec(message);
        const statusFromData = Number(shape.statusCode ?? data.statusCode);
        return new CloudApiError({
            service,
            action,
            code: apiCode,
            message: stringField(data, "Message", "message") ?? message,
            requestId: stringField(data, "RequestId", "requestId"),
            hostId: stringField(data, "HostId", "hostId"),
            statusCode: statusMatch
                ? Number(statusMatch[1])
                : Number.isFinite(statusFromData)
                  ? statusFromData
                  : undefined,
        });
    }
    const name = typeof shape.name === "string" ? shape.name : "";
    const code = typeof shape.code === "string" ? shape.code : "";
    if (name === "RequestTimeoutError" || /timeout/i.test(name)) {
        return new CloudApiError({ service, action, code: transportErrorCodes.timeout, message });
    }
    if (droppedConnectionCodes.has(code) || /socket hang up/i.test(message)) {
        return new CloudApiError({
            service,
            action,
            code: transportErrorCodes.connectionDropped,
            message: code ? `${code}: ${message}` : message,
        });
    }
    if (error instanceof SyntaxError) {
        // A gateway answered with something that is not the API's JSON (an HTML 502 page, a cut body).
        return new CloudApiError({
            service,
            action,
            code: transportErrorCodes.unreadableResponse,
            message,
        });
    }
    return new CloudApiError({ service, action, code: code || name || "Error", message });
}
