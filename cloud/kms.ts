// KMS access for the dynamic providers and `ack-kms verify`: one client per region and endpoint,
// retries on transient faults, and every failure as a CloudApiError carrying the KMS code and
// RequestId. The raw calls that work around the SDK's gaps live in ./kmsRawCalls.

import KmsSdkClient from "@alicloud/kms20160120";
import { keyIdOf } from "../policy/facts";
import type { CloudCredentials } from "./credentials";
import { clientConfig, defaultCallTimeoutMs, parseKmsEndpoint } from "./endpoints";
import { CloudApiError, toCloudApiError } from "./errors";
import { callKmsAction } from "./kmsRawCalls";
import { RetryOptions, withRetry } from "./retry";

// The parser moved to ./endpoints, which loads no SDK; importers of it from here keep working.
export { parseKmsEndpoint } from "./endpoints";

export const kmsServiceName = "KMS";

/** The KMS answer code for a key id that does not exist in the region asked. */
export const keyNotFoundCode = "Forbidden.KeyNotFound";

export const defaultKmsTimeoutMs = defaultCallTimeoutMs;

export interface KmsClientOptions {
    regionId: string;
    /**
     * A host (`kms-vpc.cn-hangzhou.aliyuncs.com`) or URL (`http://127.0.0.1:8443`). Defaults to
     * `kms.<regionId>.aliyuncs.com` over HTTPS.
     */
    endpoint?: string;
    credentials: CloudCredentials;
    /** Connect and read timeout of each attempt. Defaults to 10000 ms. */
    timeoutMs?: number;
    /** How transient faults are retried; see cloud/retry.ts for the defaults. */
    retry?: RetryOptions;
}

export interface KmsClient {
    readonly regionId: string;
    /** host[:port] the requests go to. */
    readonly endpoint: string;
    readonly protocol: "http" | "https";
    readonly retry: RetryOptions;
    /** The @alicloud/kms20160120 client, for typed calls through `callKmsSdk`. */
    readonly sdk: KmsSdkClient;
}

export interface KeyMetadata {
    keyId: string;
    arn: string;
    keyState: string;
    keySpec: string;
    keyUsage: string;
    protectionLevel: string;
    deletionProtection: "Enabled" | "Disabled";
    /** The text set with the protection (DescribeKey `DeletionProtectionDescription`), if any. */
    deletionProtectionDescription?: string;
    dkmsInstanceId?: string;
    automaticRotation?: string;
    rotationInterval?: string;
    creationDate?: string;
    description?: string;
    primaryKeyVersion?: string;
    deleteDate?: string;
}

export function defaultKmsEndpoint(regionId: string): string {
    return `kms.${regionId}.aliyuncs.com`;
}

export function createKmsClient(options: KmsClientOptions): KmsClient {
    const endpoint = parseKmsEndpoint(options.endpoint ?? defaultKmsEndpoint(options.regionId));
    // A plain object is what the SDK reads; its Config class lives in a package we do not depend on.
    const config = clientConfig(options, endpoint);
    const sdk = new KmsSdkClient(config as ConstructorParameters<typeof KmsSdkClient>[0]);
    return {
        regionId: options.regionId,
        endpoint: endpoint.host,
        protocol: endpoint.protocol,
        retry: options.retry ?? {},
        sdk,
    };
}

/** Runs one typed SDK call with the client's retries, failing with a CloudApiError. */
export function callKmsSdk<T>(
    client: KmsClient,
    action: string,
    call: (sdk: KmsSdkClient) => Promise<T>,
): Promise<T> {
    return withRetry(async () => {
        try {
            return await call(client.sdk);
        } catch (error) {
            throw toCloudApiError(kmsServiceName, action, error);
        }
    }, client.retry);
}

/** Runs one raw RPC action with the client's retries, failing with a CloudApiError. */
export function callKms(
    client: KmsClient,
    action: string,
    parameters: Record<string, string>,
): Promise<Record<string, unknown>> {
    return callKmsSdk(client, action, (sdk) => callKmsAction(sdk, action, parameters));
}

// Key ARNs are parsed in one place, with the other domain facts; re-exported for cloud/ callers.
export { parseKeyArn } from "../policy/facts";

export function isKeyNotFoundError(error: unknown): error is CloudApiError {
    return error instanceof CloudApiError && error.code === keyNotFoundCode;
}

function optionalString(record: Record<string, unknown>, name: string): string | undefined {
    const value = record[name];
    return typeof value === "string" && value !== "" ? value : undefined;
}

function unexpectedAnswer(action: string, answer: Record<string, unknown>, what: string) {
    return new CloudApiError({
        service: kmsServiceName,
        action,
        code: "UnexpectedResponse",
        message: what,
        requestId: optionalString(answer, "RequestId"),
    });
}

/** DescribeKey, read from the raw answer so `DeletionProtection` is kept. Accepts a key id or ARN. */
export async function describeKey(client: KmsClient, keyId: string): Promise<KeyMetadata> {
    const action = "DescribeKey";
    const answer = await callKms(client, action, { KeyId: keyIdOf(keyId) });
    const raw = answer.KeyMetadata;
    if (typeof raw !== "object" || raw === null) {
        throw unexpectedAnswer(action, answer, "the answer has no KeyMetadata.");
    }
    const metadata = raw as Record<string, unknown>;
    const required = (name: string): string => {
        const value = optionalString(metadata, name);
        if (value === undefined) {
            throw unexpectedAnswer(action, answer, `KeyMetadata has no ${name}.`);
        }
        return value;
    };
    return {
        keyId: required("KeyId"),
        arn: required("Arn"),
        keyState: required("KeyState"),
        // What the key is, as KMS says: a default of the provider's inputs is no answer (fail closed).
        keySpec: required("KeySpec"),
        keyUsage: required("KeyUsage"),
        protectionLevel: required("ProtectionLevel"),
        deletionProtection: metadata.DeletionProtection === "Enabled" ? "Enabled" : "Disabled",
        deletionProtectionDescription: optionalString(metadata, "DeletionProtectionDescription"),
        dkmsInstanceId: optionalString(metadata, "DKMSInstanceId"),
        automaticRotation: optionalString(metadata, "AutomaticRotation"),
        rotationInterval: optionalString(metadata, "RotationInterval"),
        creationDate: optionalString(metadata, "CreationDate"),
        description: optionalString(metadata, "Description"),
        primaryKeyVersion: optionalString(metadata, "PrimaryKeyVersion"),
        deleteDate: optionalString(metadata, "DeleteDate"),
    };
}

export interface SetDeletionProtectionRequest {
    keyArn: string;
    enable: boolean;
    /** Shown in the KMS console next to the protection; KMS keeps it only while protection is on. */
    description?: string;
}

/** SetDeletionProtection, which the SDK has no typed method for. Returns the RequestId. */
export async function setDeletionProtection(
    client: KmsClient,
    request: SetDeletionProtectionRequest,
): Promise<{ requestId?: string }> {
    const parameters: Record<string, string> = {
        ProtectedResourceArn: request.keyArn,
        EnableDeletionProtection: String(request.enable),
    };
    if (request.enable && request.description !== undefined) {
        parameters.DeletionProtectionDescription = request.description;
    }
    const answer = await callKms(client, "SetDeletionProtection", parameters);
    return { requestId: optionalString(answer, "RequestId") };
}
