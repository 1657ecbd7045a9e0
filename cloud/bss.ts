// Billing (BssOpenApi 2017-12-14) reads for `ack-kms audit`: whether a subscription KMS instance
// renews automatically. KMS's own GetKmsInstance has no renewal field; the alicloud provider reads
// `renew_status` the same way (QueryAvailableInstances, ProductCode=kms). Field names are those of
// the official SDKs' QueryAvailableInstancesResponseBodyDataInstanceList.

import { CloudCredentials } from "./credentials";
import { CloudApiError } from "./errors";
import { createRpcClient, RpcClient } from "./openApiCall";

export const bssApiVersion = "2017-12-14";

export function createBssClient(options: {
    /** Defaults to `business.aliyuncs.com` (China site; the international one is business.ap-southeast-1.aliyuncs.com). */
    endpoint?: string;
    credentials: CloudCredentials;
    timeoutMs?: number;
}): RpcClient {
    return createRpcClient({
        service: "BssOpenApi",
        apiVersion: bssApiVersion,
        endpoint: options.endpoint ?? "business.aliyuncs.com",
        regionId: "cn-hangzhou",
        credentials: options.credentials,
        timeoutMs: options.timeoutMs,
    });
}

export interface InstanceRenewal {
    instanceId: string;
    /** `AutoRenewal`, `ManualRenewal` or `NotRenewal`. */
    renewStatus?: string;
    /** `Subscription` or `PayAsYouGo`. */
    subscriptionType?: string;
    endTime?: string;
}

/** The renewal setting of one KMS instance; throws when billing does not list it. */
export async function queryKmsInstanceRenewal(
    client: RpcClient,
    instanceId: string,
): Promise<InstanceRenewal> {
    const answer = await client.call("QueryAvailableInstances", {
        ProductCode: "kms",
        InstanceIDs: instanceId,
    });
    const data = (answer.Data ?? {}) as { InstanceList?: unknown };
    const list = Array.isArray(data.InstanceList) ? data.InstanceList : [];
    const found = list
        .map(
            (raw) =>
                (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>,
        )
        .find((item) => item.InstanceID === instanceId);
    if (!found) {
        throw new CloudApiError({
            service: "BssOpenApi",
            action: "QueryAvailableInstances",
            code: "InstanceNotListed",
            message: `billing lists no KMS instance ${instanceId}`,
            requestId: typeof answer.RequestId === "string" ? answer.RequestId : undefined,
        });
    }
    const text = (name: string) =>
        typeof found[name] === "string" && found[name] !== "" ? (found[name] as string) : undefined;
    return {
        instanceId,
        renewStatus: text("RenewStatus"),
        subscriptionType: text("SubscriptionType"),
        endTime: text("EndTime"),
    };
}
