// Verifies the ACS3-HMAC-SHA256 signature that @alicloud/openapi-core (used by @alicloud/cs20151215 7.x)
// and @alicloud/openapi-client's generic callApi send by default, for ROA and RPC styles alike.
// The canonical request is rebuilt from what arrived on the wire, as the real gateway does, so a
// request that an SDK signed differently from what it sent fails here too.
import { createHash, createHmac, randomUUID, timingSafeEqual } from "crypto";
import { createServer, IncomingMessage } from "http";
import { AddressInfo } from "net";

export interface EmulatorCredential {
    accessKeyId: string;
    accessKeySecret: string;
    /** When set, requests must carry it in `x-acs-security-token`. */
    securityToken?: string;
}

/** Why a request was refused, in the shape the gateway answers with. */
export interface SignatureFailure {
    statusCode: number;
    code: string;
    message: string;
}

const algorithm = "ACS3-HMAC-SHA256";
const requiredSignedHeaders = [
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];
const maxClockSkewMs = 15 * 60 * 1000;

/** Percent-encoding of the canonical query string (RFC 3986 unreserved characters kept). */
function encodeRfc3986(value: string): string {
    return encodeURIComponent(value).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
}

function canonicalQueryString(rawQuery: string): string {
    const pairs: Array<[string, string]> = [];
    for (const part of rawQuery.split("&")) {
        if (part === "") {
            continue;
        }
        const eq = part.indexOf("=");
        const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
        const key = decode(eq < 0 ? part : part.slice(0, eq));
        const value = eq < 0 ? "" : decode(part.slice(eq + 1));
        pairs.push([key, value]);
    }
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return pairs.map(([k, v]) => `${k}=${encodeRfc3986(v)}`).join("&");
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(",") : value;
}

/**
 * Checks one request; returns undefined when the signature is valid for a known credential.
 * `usedNonces` rejects replays of a signature nonce.
 */
export function verifyAcs3Signature(
    request: IncomingMessage,
    body: string,
    credentials: EmulatorCredential[],
    usedNonces: Set<string>,
    now: number = Date.now(),
): SignatureFailure | undefined {
    const authorization = headerValue(request, "authorization") ?? "";
    const match =
        /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]*),Signature=([0-9a-f]+)$/.exec(
            authorization,
        );
    if (!match) {
        return {
            statusCode: 400,
            code: "IncompleteSignature",
            message: `The Authorization header is not an ${algorithm} signature: "${authorization}".`,
        };
    }
    const [, accessKeyId, signedHeaderList, signature] = match;
    const credential = credentials.find((c) => c.accessKeyId === accessKeyId);
    if (!credential) {
        return {
            statusCode: 404,
            code: "InvalidAccessKeyId.NotFound",
            message: `Specified access key is not found: ${accessKeyId}.`,
        };
    }
    if (
        credential.securityToken !== undefined &&
        headerValue(request, "x-acs-security-token") !== credential.securityToken
    ) {
        return {
            statusCode: 400,
            code: "InvalidSecurityToken.Mismatch",
            message: "The security token does not match the access key.",
        };
    }
    const signedHeaders = signedHeaderList.split(";");
    const missing = requiredSignedHeaders.filter((h) => !signedHeaders.includes(h));
    if (missing.length > 0) {
        return {
            statusCode: 400,
            code: "IncompleteSignature",
            message: `Headers that must be signed are not: ${missing.join(", ")}.`,
        };
    }
    const payloadHash = createHash("sha256").update(body, "utf8").digest("hex");
    if (headerValue(request, "x-acs-content-sha256") !== payloadHash) {
        return {
            statusCode: 400,
            code: "InvalidContentSha256",
            message: "x-acs-content-sha256 does not match the request body.",
        };
    }
    const date = Date.parse(headerValue(request, "x-acs-date") ?? "");
    if (Number.isNaN(date) || Math.abs(now - date) > maxClockSkewMs) {
        return {
            statusCode: 400,
            code: "InvalidTimeStamp.Expired",
            message: "x-acs-date is missing or more than 15 minutes away from the server time.",
        };
    }
    const nonce = headerValue(request, "x-acs-signature-nonce") ?? "";
    if (usedNonces.has(nonce)) {
        return {
            statusCode: 400,
            code: "SignatureNonceUsed",
            message: `The signature nonce has been used: ${nonce}.`,
        };
    }

    const url = request.url ?? "/";
    const queryAt = url.indexOf("?");
    const canonicalUri = queryAt < 0 ? url : url.slice(0, queryAt);
    const canonicalQuery = canonicalQueryString(queryAt < 0 ? "" : url.slice(queryAt + 1));
    const canonicalHeaders = signedHeaders
        .map((h) => `${h}:${(headerValue(request, h) ?? "").trim()}\n`)
        .join("");
    const canonicalRequest = [
        request.method,
        canonicalUri,
        canonicalQuery,
        canonicalHeaders,
        signedHeaders.join(";"),
        payloadHash,
    ].join("\n");
    const stringToSign = `${algorithm}\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
    const expected = createHmac("sha256", credential.accessKeySecret)
        .update(stringToSign)
        .digest("hex");
    if (
        expected.length !== signature.length ||
        !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
    ) {
        return {
            statusCode: 400,
            code: "SignatureDoesNotMatch",
            message: "The request signature does not conform to Aliyun standards.",
        };
    }
    usedNonces.add(nonce);
    return undefined;
}

// ---- A local HTTP server that answers only correctly signed requests -----------------------------

/** What a handler sees of one verified request. */
export interface SignedRequest {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: IncomingMessage["headers"];
    body: string;
    accessKeyId: string;
}

export interface ApiAnswer {
    statusCode: number;
    body: unknown;
}

export interface SignedApiServer {
    /** `http://127.0.0.1:<port>`, to pass as an endpoint override. */
    url: string;
    /** Requests refused for their signature, with the reason. */
    rejected: SignatureFailure[];
    close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 that checks each request's ACS3 signature before `handle` sees it. */
export async function serveSignedApi(
    credentials: EmulatorCredential[],
    handle: (request: SignedRequest) => ApiAnswer | Promise<ApiAnswer>,
): Promise<SignedApiServer> {
    const usedNonces = new Set<string>();
    const rejected: SignatureFailure[] = [];
    const server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            const reply = (answer: ApiAnswer) => {
                const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
                response.writeHead(answer.statusCode, { "content-type": "application/json" });
                response.end(text);
            };
            const failure = verifyAcs3Signature(request, body, credentials, usedNonces);
            if (failure) {
                rejected.push(failure);
                reply({
                    statusCode: failure.statusCode,
                    body: { Code: failure.code, Message: failure.message, RequestId: randomUUID() },
                });
                return;
            }
            const url = new URL(request.url ?? "/", "http://emulator");
            const accessKeyId = /Credential=([^,]+)/.exec(request.headers.authorization ?? "")![1];
            Promise.resolve(
                handle({
                    method: request.method ?? "GET",
                    path: url.pathname,
                    query: url.searchParams,
                    headers: request.headers,
                    body,
                    accessKeyId,
                }),
            ).then(reply, (error: unknown) =>
                reply({
                    statusCode: 500,
                    body: {
                        Code: "InternalError",
                        Message: String(error),
                        RequestId: randomUUID(),
                    },
                }),
            );
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        rejected,
        close: () =>
            new Promise<void>((resolve, reject) => {
                server.closeAllConnections();
                server.close((error) => (error ? reject(error) : resolve()));
            }),
    };
}
