// The KMS reads `ack-kms audit` adds to verify's: the key policy of a key (GetKeyPolicy, for keys in
// a KMS instance) and the KMS instance itself (GetKmsInstance: ChargeType, EndDate, Status). The SDK
// on the registry (@alicloud/kms20160120 1.2.0) has typed methods for neither, so both go through the
// raw RPC call of ./kms; the field names are those of the official SDKs' GetKeyPolicyResponseBody and
// GetKmsInstanceResponseBodyKmsInstance (Java/TypeScript SDKs of kms-20160120).

import { keyIdOf } from "../policy/facts";
import { CloudApiError } from "./errors";
import { callKms, KmsClient, kmsServiceName } from "./kms";

/** The only policy name KMS keys have. */
export const defaultKeyPolicyName = "default";

/** A key's policy document, as the JSON text KMS returns. */
export async function getKeyPolicy(client: KmsClient, keyId: string): Promise<string> {
    const answer = await callKms(client, "GetKeyPolicy", {
        KeyId: keyIdOf(keyId),
        PolicyName: defaultKeyPolicyName,
    });
    if (typeof answer.Policy !== "string") {
        throw new CloudApiError({
            service: kmsServiceName,
            action: "GetKeyPolicy",
            code: "UnexpectedResponse",
            message: "the answer has no Policy.",
            requestId: typeof answer.RequestId === "string" ? answer.RequestId : undefined,
        });
    }
    return answer.Policy;
}

export interface KmsInstanceDetail {
    instanceId: string;
    /** `PREPAY` (subscription) or `POSTPAY` (pay-as-you-go), as KMS reports it. */
    chargeType?: string;
    endDate?: string;
    status?: string;
}

function text(record: Record<string, unknown>, name: string): string | undefined {
    const value = record[name];
    return typeof value === "string" && value !== "" ? value : undefined;
}

export async function getKmsInstance(
    client: KmsClient,
    instanceId: string,
): Promise<KmsInstanceDetail> {
    const answer = await callKms(client, "GetKmsInstance", { KmsInstanceId: instanceId });
    const raw = answer.KmsInstance;
    if (typeof raw !== "object" || raw === null) {
        throw new CloudApiError({
            service: kmsServiceName,
            action: "GetKmsInstance",
            code: "UnexpectedResponse",
            message: "the answer has no KmsInstance.",
            requestId: text(answer, "RequestId"),
        });
    }
    const instance = raw as Record<string, unknown>;
    return {
        instanceId: text(instance, "InstanceId") ?? instanceId,
        chargeType: text(instance, "ChargeType"),
        endDate: text(instance, "EndDate"),
        status: text(instance, "Status"),
    };
}
