// Where an Alibaba Cloud client sends its requests, and the connection settings every SDK client
// takes. Endpoint overrides serve private (VPC) or test endpoints: a host, or an http(s) URL without
// a path. Nothing here loads an SDK, so input validation can use it cheaply.

import type { CloudCredentials } from "./credentials";

export interface ParsedEndpoint {
    host: string;
    protocol: "http" | "https";
}

/** Connect and read timeout of one call when the caller sets none. */
export const defaultCallTimeoutMs = 10_000;

/** The URL's host, or the bare host (meaning HTTPS); undefined when `endpoint` is neither. */
function splitEndpoint(endpoint: string, url: RegExp): ParsedEndpoint | undefined {
    const match = url.exec(endpoint.trim());
    if (match) {
        return { protocol: match[1].toLowerCase() as "http" | "https", host: match[2] };
    }
    if (/^[a-z0-9.-]+(:\d+)?$/i.test(endpoint.trim())) {
        return { protocol: "https", host: endpoint.trim() };
    }
    return undefined;
}

/** A host with the protocol to reach it; a bare host means HTTPS. */
export function parseEndpoint(endpoint: string): ParsedEndpoint {
    const parsed = splitEndpoint(endpoint, /^(https?):\/\/([^/?#\s]+)\/?$/i);
    if (!parsed) {
        throw new Error(
            `[endpoint] "${endpoint}" is not a host name or an http(s) URL without a path, e.g. cs.cn-hangzhou.aliyuncs.com.`,
        );
    }
    return parsed;
}

/** Splits a KMS endpoint setting into the protocol and host[:port] the SDK's Config takes. */
export function parseKmsEndpoint(endpoint: string): ParsedEndpoint {
    const parsed = splitEndpoint(endpoint, /^(https?):\/\/([^/?#]+)\/?$/i);
    if (!parsed) {
        throw new Error(
            `[endpoint] "${endpoint}" is not a KMS endpoint: give a host such as kms-vpc.cn-hangzhou.aliyuncs.com or a URL such as https://kms.cn-hangzhou.aliyuncs.com.`,
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
