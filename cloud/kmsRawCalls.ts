// The one workaround for @alicloud/kms20160120 1.2.0 (the only version on the registry): it has no
// typed SetDeletionProtection, and its typed DescribeKey model drops `DeletionProtection`. Both go
// through the client's RPC `doRequest`, which signs the call like any other, and the raw JSON
// answer is returned so no field is lost.

import type KmsSdkClient from "@alicloud/kms20160120";
import { RuntimeOptions } from "@alicloud/tea-util";

export const kmsApiVersion = "2016-01-20";

/** The SDK client's own retries are off: cloud/retry.ts decides what is retried. */
function singleAttemptRuntime(): RuntimeOptions {
    return new RuntimeOptions({ autoretry: false, maxAttempts: 1 });
}

/**
 * Calls a KMS RPC action with string parameters and returns the raw answer body.
 * SDK errors are thrown as the SDK throws them; callers turn them into CloudApiError.
 */
export async function callKmsAction(
    sdk: KmsSdkClient,
    action: string,
    parameters: Record<string, string>,
): Promise<Record<string, unknown>> {
    // "HTTPS" is the default the generated methods pass; the client's `protocol` setting wins.
    const answer = await sdk.doRequest(
        action,
        "HTTPS",
        "POST",
        kmsApiVersion,
        "AK",
        parameters,
        // Like the generated methods: parameters in the query, no form body.
        null as unknown as Record<string, string>,
        singleAttemptRuntime(),
    );
    return answer as Record<string, unknown>;
}
