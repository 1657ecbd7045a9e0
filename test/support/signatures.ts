// Verifies the signature Alibaba Cloud RPC APIs (KMS, ActionTrail, ...) require: HMAC-SHA1, signature
// version 1.0, over the sorted, percent-encoded request parameters. Written from the published
// algorithm, independently of the SDK, so the emulators catch an SDK or configuration that signs wrong.
// https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism

import { createHmac, timingSafeEqual } from "crypto";

/** RFC 3986 percent-encoding, as the RPC signature needs: only A-Z a-z 0-9 - _ . ~ stay as they are. */
export function percentEncode(value: string): string {
    return encodeURIComponent(value).replace(
        /[!'()*]/g,
        (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
    );
}

/** `key=value` pairs sorted by key, without `Signature`, joined by `&`. */
export function canonicalizedQueryString(parameters: Record<string, string>): string {
    return Object.keys(parameters)
        .filter((key) => key !== "Signature")
        .sort()
        .map((key) => `${percentEncode(key)}=${percentEncode(parameters[key])}`)
        .join("&");
}

export function rpcStringToSign(method: string, parameters: Record<string, string>): string {
    return `${method.toUpperCase()}&${percentEncode("/")}&${percentEncode(canonicalizedQueryString(parameters))}`;
}

/** The Base64 HMAC-SHA1 signature of a request, keyed with `<secret>&`. */
export function signRpcRequest(
    method: string,
    parameters: Record<string, string>,
    accessKeySecret: string,
): string {
    return createHmac("sha1", `${accessKeySecret}&`)
        .update(rpcStringToSign(method, parameters))
        .digest("base64");
}

export type SignatureCheck =
    { ok: true } | { ok: false; code: string; message: string; statusCode: number };

/**
 * Checks the signature parameters and the signature of one RPC request, given the parameters from
 * its query string and form body together, and the secret of the AccessKeyId it names.
 * The codes and messages are the ones Alibaba Cloud's API gateway answers with.
 */
export function verifyRpcSignature(
    method: string,
    parameters: Record<string, string>,
    accessKeySecret: string,
): SignatureCheck {
    if (parameters.SignatureMethod !== "HMAC-SHA1") {
        return {
            ok: false,
            statusCode: 400,
            code: "InvalidSignatureMethod",
            message: `Specified signature method is not valid: ${parameters.SignatureMethod ?? "(none)"}.`,
        };
    }
    if (parameters.SignatureVersion !== "1.0") {
        return {
            ok: false,
            statusCode: 400,
            code: "UnsupportedSignatureVersion",
            message: `Specified signature version is not supported: ${parameters.SignatureVersion ?? "(none)"}.`,
        };
    }
    const given = parameters.Signature;
    if (!given) {
        return {
            ok: false,
            statusCode: 400,
            code: "MissingSignature",
            message: "Signature is mandatory for this action.",
        };
    }
    const expected = Buffer.from(signRpcRequest(method, parameters, accessKeySecret));
    const received = Buffer.from(given);
    if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
        return {
            ok: false,
            statusCode: 400,
            code: "SignatureDoesNotMatch",
            message: "Specified signature is not matched with our calculation.",
        };
    }
    return { ok: true };
}
