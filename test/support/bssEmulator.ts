// A local billing (BssOpenApi 2017-12-14) RPC API answering QueryAvailableInstances for KMS
// instances: their subscription type, end time and renewal setting (AutoRenewal, ManualRenewal,
// NotRenewal), as the official SDKs' QueryAvailableInstancesResponseBody names them.
import { randomUUID } from "crypto";
import { EmulatorCredential, serveSignedApi } from "./roaSignature";

export interface EmulatedBillingInstance {
    instanceId: string;
    subscriptionType: "Subscription" | "PayAsYouGo";
    renewStatus: "AutoRenewal" | "ManualRenewal" | "NotRenewal";
    endTime?: string;
}

export interface BssEmulator {
    url: string;
    instances: Map<string, EmulatedBillingInstance>;
    actions: string[];
    close(): Promise<void>;
}

export async function startBssEmulator(options: {
    credentials: EmulatorCredential[];
}): Promise<BssEmulator> {
    const instances = new Map<string, EmulatedBillingInstance>();
    const actions: string[] = [];
    const server = await serveSignedApi(options.credentials, (request) => {
        const action = String(request.headers["x-acs-action"]);
        actions.push(action);
        if (
            request.headers["x-acs-version"] !== "2017-12-14" ||
            action !== "QueryAvailableInstances"
        ) {
            return {
                statusCode: 404,
                body: { Code: "InvalidAction.NotFound", Message: action, RequestId: randomUUID() },
            };
        }
        const ids = (request.query.get("InstanceIDs") ?? "").split(",").filter(Boolean);
        const listed = [...instances.values()].filter(
            (i) =>
                request.query.get("ProductCode") === "kms" &&
                (ids.length === 0 || ids.includes(i.instanceId)),
        );
        return {
            statusCode: 200,
            body: {
                RequestId: randomUUID(),
                Success: true,
                Code: "Success",
                Data: {
                    PageNum: 1,
                    PageSize: 20,
                    TotalCount: listed.length,
                    InstanceList: listed.map((i) => ({
                        InstanceID: i.instanceId,
                        ProductCode: "kms",
                        SubscriptionType: i.subscriptionType,
                        RenewStatus: i.renewStatus,
                        EndTime: i.endTime,
                    })),
                },
            },
        };
    });
    return { url: server.url, instances, actions, close: () => server.close() };
}
