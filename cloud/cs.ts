// Container Service (ACK) calls through @alicloud/cs20151215 7.x: reading a cluster's state and
// Secret encryption, and changing it with UpdateKMSEncryption (PUT /clusters/{id}/kms).

import CsSdkClient, { UpdateKMSEncryptionRequest } from "@alicloud/cs20151215";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { judgeClusterSpec } from "../policy/verdicts/clusterSpec";
import { CloudCredentials } from "./credentials";
import { clientConfig, parseEndpoint } from "./endpoints";
import { CloudApiError, toCloudApiError } from "./errors";

export const csService = "CS";

export interface CsClientOptions {
    regionId: string;
    /** Host (`cs.cn-hangzhou.aliyuncs.com`) or URL (`http://127.0.0.1:8080`). Defaults to `cs.<regionId>.aliyuncs.com`. */
    endpoint?: string;
    credentials: CloudCredentials;
    /** Connect and read timeout of one call. Defaults to 10000 ms. */
    timeoutMs?: number;
}

export type CsClient = CsSdkClient;

export function createCsClient(options: CsClientOptions): CsClient {
    const endpoint = parseEndpoint(options.endpoint ?? `cs.${options.regionId}.aliyuncs.com`);
    return new CsSdkClient(new $OpenApiUtil.Config(clientConfig(options, endpoint)));
}

/** What ACK reports about a cluster that matters for Secret encryption. */
export interface ClusterDetail {
    clusterId: string;
    name: string;
    regionId: string;
    clusterType: string;
    clusterSpec: string;
    profile?: string;
    /** Lower case as the API returns it: `running`, `updating`, `failed`, ... */
    state: string;
    currentVersion?: string;
    /** The KMS key that encrypts Secrets, when encryption is on. */
    encryptionKeyId?: string;
    encryptionEnabled: boolean;
}

/**
 * ACK reports Secret encryption only inside `meta_data`, a JSON string whose `Capabilities` hold
 * `EncryptionKMSKeyId` and `DisableEncryption` (the fields the alicloud Terraform provider reads too).
 */
export function encryptionFromMetaData(metaData: string | undefined): {
    keyId?: string;
    enabled: boolean;
} {
    let capabilities: Record<string, unknown> = {};
    try {
        const parsed = JSON.parse(metaData ?? "{}") as { Capabilities?: unknown };
        if (typeof parsed.Capabilities === "object" && parsed.Capabilities !== null) {
            capabilities = parsed.Capabilities as Record<string, unknown>;
        }
    } catch {
        return { enabled: false };
    }
    const keyId =
        typeof capabilities.EncryptionKMSKeyId === "string" && capabilities.EncryptionKMSKeyId
            ? capabilities.EncryptionKMSKeyId
            : undefined;
    const disabled =
        capabilities.DisableEncryption === true || capabilities.DisableEncryption === "true";
    return keyId ? { keyId, enabled: !disabled } : { enabled: false };
}

export async function describeCluster(client: CsClient, clusterId: string): Promise<ClusterDetail> {
    let body;
    try {
        body = (await client.describeClusterDetail(clusterId)).body;
    } catch (error) {
        throw toCloudApiError(csService, "DescribeClusterDetail", error);
    }
    if (!body) {
        throw new CloudApiError({
            service: csService,
            action: "DescribeClusterDetail",
            code: "EmptyResponse",
            message: `no cluster detail returned for ${clusterId}`,
        });
    }
    const encryption = encryptionFromMetaData(body.metaData);
    return {
        clusterId: body.clusterId ?? clusterId,
        name: body.name ?? "",
        regionId: body.regionId ?? "",
        clusterType: body.clusterType ?? "",
        clusterSpec: body.clusterSpec ?? "",
        profile: body.profile,
        state: (body.state ?? "").toLowerCase(),
        currentVersion: body.currentVersion,
        encryptionKeyId: encryption.keyId,
        encryptionEnabled: encryption.enabled,
    };
}

/** Turns Secret encryption on with `keyId` (or moves it to that key), or off with `disable`. */
export async function updateKmsEncryption(
    client: CsClient,
    clusterId: string,
    change: { keyId: string } | { disable: true },
): Promise<void> {
    const request =
        "disable" in change
            ? new UpdateKMSEncryptionRequest({ disableEncryption: true })
            : new UpdateKMSEncryptionRequest({ disableEncryption: false, kmsKeyId: change.keyId });
    try {
        await client.updateKMSEncryption(clusterId, request);
    } catch (error) {
        throw toCloudApiError(csService, "UpdateKMSEncryption", error);
    }
}

/** Why a cluster cannot take Secret encryption now; empty when it can. */
export function clusterProblemsForEncryption(cluster: ClusterDetail, regionId: string): string[] {
    const problems: string[] = [];
    if (judgeClusterSpec(cluster.clusterSpec).verdict !== "pro") {
        problems.push(
            `it is not an ACK Pro cluster (cluster_spec "${cluster.clusterSpec}"): Secret encryption with KMS needs ack.pro.*`,
        );
    }
    if (cluster.regionId && cluster.regionId !== regionId) {
        problems.push(
            `it is in ${cluster.regionId}, not ${regionId}: the key must be in the cluster's region`,
        );
    }
    if (cluster.state !== "running") {
        problems.push(`its state is "${cluster.state}", not "running"`);
    }
    return problems;
}

/** The 409 ACK answers to a second encryption change within 5 minutes of the last one. */
export function isEncryptionChangeConflict(error: unknown): boolean {
    return error instanceof CloudApiError && error.statusCode === 409;
}

export const forbiddenUpdateKmsStateCode = "ForbiddenUpdateKMSState";

/** The ForbiddenUpdateKMSState refusal, said with what the caller is missing. */
export function explainForbiddenUpdate(error: CloudApiError, clusterId: string): string {
    return (
        `ACK refused to change Secret encryption on cluster ${clusterId} (${forbiddenUpdateKmsStateCode}): ` +
        `the caller needs the cluster's RBAC administrator or O&M (ops) role (ACK console > Authorizations) ` +
        `and the AliyunKMSCryptoAdminAccess policy (or equivalent KMS permissions). ${error.message}`
    );
}
