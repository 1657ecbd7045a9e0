// Endpoint overrides for private (VPC) or test endpoints: a host, or an http(s) URL without a path.

/** A host with the protocol to reach it; a bare host means HTTPS. */
export function parseEndpoint(endpoint: string): { host: string; protocol: "http" | "https" } {
    const match = /^(https?):\/\/([^/?#\s]+)\/?$/i.exec(endpoint.trim());
    if (match) {
        return { protocol: match[1].toLowerCase() as "http" | "https", host: match[2] };
    }
    if (/^[a-z0-9.-]+(:\d+)?$/i.test(endpoint.trim())) {
        return { protocol: "https", host: endpoint.trim() };
    }
    throw new Error(
        `[endpoint] "${endpoint}" is not a host name or an http(s) URL without a path, e.g. cs.cn-hangzhou.aliyuncs.com.`,
    );
}
