// Where an Alibaba Cloud client sends its requests, and the connection settings every SDK client
// takes. Endpoint overrides serve private (VPC) or test endpoints: a host, or an https URL without
// a path (http only to this machine, for the emulators). Nothing here loads an SDK, so input validation can use it cheaply.

import type { CloudCredentials } from "./credentials";

export interface ParsedEndpoint {
    host: string;
    protocol: "http" | "https";
}

/** Connect and read timeout of one call when the caller sets none. */
export const defaultCallTimeoutMs = 10_000;

/** Hosts plain HTTP may reach: this machine only (the local emulators); anything else is HTTPS. */
const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An endpoint as messages quote it: in double quotes, cut after 60 characters. */
function quoted(endpoint: string): string {
    return endpoint.length <= 60
        ? JSON.stringify(endpoint)
        : `${JSON.stringify(endpoint.slice(0, 60))}... (${endpoint.length} characters)`;
}

/**
 * The host and protocol of an endpoint setting, or the reason it is refused. Parsed with the
 * WHATWG URL parser, the one Node's HTTP clients use, so what is checked is where requests go: a
 * bare host means HTTPS; a URL is `https:` (or `http:` to this machine), with no user name or
 * password (`https://kms.cn-hangzhou.aliyuncs.com@evil.example` is a request to evil.example), no
 * path but `/`, no query or fragment, and no whitespace anywhere.
 */
function splitEndpoint(endpoint: string): ParsedEndpoint | string {
    if (endpoint.length > 300) {
        return `is ${endpoint.length} characters long (a host name has at most 253)`;
    }
    if (endpoint === "" || /[\s\u0000-\u001f\u007f]/.test(endpoint)) {
        return "has whitespace or control characters or is empty";
    }
    if (/^[a-z0-9.-]+(:\d{1,5})?$/i.test(endpoint)) {
        return splitEndpoint(`https://${endpoint}`);
    }
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return "is neither a host name nor a URL";
    }
    const protocol = url.protocol.slice(0, -1).toLowerCase();
    if (protocol !== "https" && protocol !== "http") {
        return `uses ${protocol} (only https, and http to this machine, are allowed)`;
    }
    if (url.username !== "" || url.password !== "" || endpoint.includes("@")) {
        return "has a user name or password (text before @), which sends the signed requests to another host";
    }
    if (!/^[a-z]+:\/\/[^/?#\\]+\/?$/i.test(endpoint) || url.pathname !== "/") {
        return "has a path, query or fragment";
    }
    if (url.search !== "" || url.hash !== "") {
        return "has a query or fragment";
    }
    if (protocol === "http" && !loopbackHosts.has(url.hostname.toLowerCase())) {
        return "uses http to a host other than this machine (http is for local emulators only)";
    }
    return { protocol, host: url.host };
}

/** A host with the protocol to reach it; a bare host means HTTPS. */
export function parseEndpoint(endpoint: string): ParsedEndpoint {
    const parsed = typeof endpoint === "string" ? splitEndpoint(endpoint) : "is not a string";
    if (typeof parsed === "string") {
        throw new Error(
            `[endpoint] ${typeof endpoint === "string" ? quoted(endpoint) : "the value"} is not a host name or an https URL without a path: it ${parsed}; give e.g. cs.cn-hangzhou.aliyuncs.com.`,
        );
    }
    return parsed;
}

/** Splits a KMS endpoint setting into the protocol and host[:port] the SDK's Config takes. */
export function parseKmsEndpoint(endpoint: string): ParsedEndpoint {
    const parsed = typeof endpoint === "string" ? splitEndpoint(endpoint) : "is not a string";
    if (typeof parsed === "string") {
        throw new Error(
            `[endpoint] ${typeof endpoint === "string" ? quoted(endpoint) : "the value"} is not a KMS endpoint: it ${parsed}; give a host such as kms-vpc.cn-hangzhou.aliyuncs.com or a URL such as https://kms.cn-hangzhou.aliyuncs.com.`,
        );
    }
    return parsed;
}

/**
 * The fields of an @alicloud Config (openapi-client or openapi-core) for one region and endpoint,
 * as a plain object each SDK's Config takes.
 */
export function clientConfig(
    options: { regionId: string; credentials: CloudCredentials; timeoutMs?: number },
    { host, protocol }: ParsedEndpoint,
) {
    const timeoutMs = options.timeoutMs ?? defaultCallTimeoutMs;
    return {
        accessKeyId: options.credentials.accessKeyId,
        accessKeySecret: options.credentials.accessKeySecret,
        securityToken: options.credentials.securityToken,
        regionId: options.regionId,
        endpoint: host,
        protocol,
        readTimeout: timeoutMs,
        connectTimeout: timeoutMs,
    };
}
