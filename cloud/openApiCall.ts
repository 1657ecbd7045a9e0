// RPC-style calls to Alibaba Cloud services that have no TypeScript SDK on the registry (ActionTrail)
// or none installed here (RAM), through @alicloud/openapi-client's generic `callApi`, which signs
// them (ACS3-HMAC-SHA256) exactly as the generated SDKs do.

import OpenApiClient, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";
import { RuntimeOptions } from "@alicloud/tea-util";
import { CloudCredentials } from "./credentials";
import { clientConfig, parseEndpoint } from "./endpoints";
import { toCloudApiError } from "./errors";

export interface RpcClientOptions {
    /** Service name used in error messages, e.g. `ActionTrail`. */
    service: string;
    apiVersion: string;
    /** Host or http(s) URL. */
    endpoint: string;
    regionId: string;
    credentials: CloudCredentials;
    /** Connect and read timeout of one call. Defaults to 10000 ms. */
    timeoutMs?: number;
}

export interface RpcClient {
    readonly service: string;
    call(action: string, parameters: Record<string, string>): Promise<Record<string, unknown>>;
}

/** Flattens lists the way RPC APIs expect them: `LookupAttribute.1.Key=EventName`. */
export function flattenRpcParameters(
    parameters: Record<string, string | number | Array<Record<string, string>> | undefined>,
): Record<string, string> {
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(parameters)) {
        if (value === undefined) {
            continue;
        }
        if (Array.isArray(value)) {
            value.forEach((item, index) => {
                for (const [field, fieldValue] of Object.entries(item)) {
                    flat[`${name}.${index + 1}.${field}`] = fieldValue;
                }
            });
        } else {
            flat[name] = String(value);
        }
    }
    return flat;
}

export function createRpcClient(options: RpcClientOptions): RpcClient {
    const endpoint = parseEndpoint(options.endpoint);
    const { protocol } = endpoint;
    const sdk = new OpenApiClient(new Config(clientConfig(options, endpoint)));
    return {
        service: options.service,
        async call(action, parameters) {
            const params = new Params({
                action,
                version: options.apiVersion,
                protocol: protocol.toUpperCase(),
                pathname: "/",
                method: "POST",
                authType: "AK",
                style: "RPC",
                reqBodyType: "formData",
                bodyType: "json",
            });
            try {
                // The client's own retries stay off: cloud/retry.ts decides what is retried.
                const answer = (await sdk.callApi(
                    params,
                    new OpenApiRequest({ query: parameters }),
                    new RuntimeOptions({ autoretry: false, maxAttempts: 1 }),
                )) as { body?: Record<string, unknown> };
                return answer.body ?? {};
            } catch (error) {
                throw toCloudApiError(options.service, action, error);
            }
        },
    };
}
