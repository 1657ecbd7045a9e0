// A local Container Service (ACK) ROA API: DescribeClusterDetail and UpdateKMSEncryption, with the
// rules the real API documents: a change moves the cluster from running to updating and back, a
// second change within the cooldown (5 minutes in the cloud) gets HTTP 409, and a caller without the
// cluster's RBAC administrator or O&M role gets ForbiddenUpdateKMSState. For audits it also lists
// clusters (DescribeClustersV1, paged by page_number/page_size, filtered by region_id) and regions
// (DescribeRegions), and answers a number of requests with throttling (Throttling.User, the common
// Alibaba Cloud flow-control code; the CS reference does not list its own).
import { randomUUID } from "crypto";
import { ApiAnswer, EmulatorCredential, serveSignedApi, SignedRequest } from "./roaSignature";

export interface EmulatedCluster {
    clusterId: string;
    name: string;
    regionId: string;
    /** e.g. `ack.pro.small`; empty for dedicated clusters. */
    clusterSpec: string;
    clusterType: string;
    profile?: string;
    state: string;
    currentVersion: string;
    encryptionKeyId?: string;
    encryptionDisabled: boolean;
    /** Access key ids that lack the cluster's RBAC role: their UpdateKMSEncryption gets 403. */
    forbiddenFor: string[];
}

export type CsAction =
    "DescribeClusterDetail" | "UpdateKMSEncryption" | "DescribeClustersV1" | "DescribeRegions";

export interface CsCall {
    action: CsAction;
    clusterId: string;
    at: number;
    statusCode: number;
    body?: unknown;
}

export interface CsEmulatorOptions {
    credentials: EmulatorCredential[];
    /** How long a change keeps the cluster `updating`. Defaults to 300 ms. */
    updateDurationMs?: number;
    /** How long after a change finishes another one gets 409. Defaults to 5 minutes, as in the cloud. */
    cooldownMs?: number;
    now?: () => number;
    /** A page holds at most this many clusters whatever page_size asks: a listing cut short. */
    pageItemLimit?: number;
}

export interface CsEmulator {
    url: string;
    calls: CsCall[];
    clusters: Map<string, EmulatedCluster>;
    addCluster(cluster: Partial<EmulatedCluster> & { clusterId: string }): EmulatedCluster;
    /** Pretends a change finished at `at`, so the cooldown applies from then. */
    markChangeFinished(clusterId: string, at: number): void;
    /** Answers the next `times` requests (of `action`, when given) with HTTP 400 Throttling.User. */
    throttle(times: number, action?: CsAction): void;
    /** Region ids DescribeRegions lists. */
    regions: string[];
    rejectedSignatures(): number;
    close(): Promise<void>;
}

function parseJson(text: string): unknown {
    try {
        return text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
        return text;
    }
}

interface ChangeTiming {
    startedAt: number;
    finishedAt: number;
}

export async function startCsEmulator(options: CsEmulatorOptions): Promise<CsEmulator> {
    const now = options.now ?? Date.now;
    const updateDurationMs = options.updateDurationMs ?? 300;
    const cooldownMs = options.cooldownMs ?? 5 * 60 * 1000;
    const clusters = new Map<string, EmulatedCluster>();
    const changes = new Map<string, ChangeTiming>();
    const calls: CsCall[] = [];
    const throttles: Array<{ times: number; action?: CsAction }> = [];
    const regions = ["cn-hangzhou", "cn-beijing", "cn-shanghai"];

    // The state a cluster shows now: `updating` until its change has run its course.
    const settle = (cluster: EmulatedCluster) => {
        const change = changes.get(cluster.clusterId);
        if (change && cluster.state === "updating" && now() >= change.finishedAt) {
            cluster.state = "running";
        }
    };
    const error = (statusCode: number, code: string, message: string): ApiAnswer => ({
        statusCode,
        body: { code, message, requestId: randomUUID() },
    });

    const describe = (cluster: EmulatedCluster): ApiAnswer => {
        const capabilities: Record<string, unknown> = {
            DisableEncryption: cluster.encryptionDisabled,
        };
        if (cluster.encryptionKeyId) {
            capabilities.EncryptionKMSKeyId = cluster.encryptionKeyId;
        }
        return {
            statusCode: 200,
            body: {
                cluster_id: cluster.clusterId,
                name: cluster.name,
                region_id: cluster.regionId,
                cluster_type: cluster.clusterType,
                cluster_spec: cluster.clusterSpec,
                profile: cluster.profile ?? "Default",
                state: cluster.state,
                current_version: cluster.currentVersion,
                meta_data: JSON.stringify({ Capabilities: capabilities }),
            },
        };
    };

    const updateKms = (cluster: EmulatedCluster, request: SignedRequest): ApiAnswer => {
        if (cluster.forbiddenFor.includes(request.accessKeyId)) {
            return error(
                403,
                "ForbiddenUpdateKMSState",
                "Forbidden update kms state, the RAM user/role has no admin or ops RBAC permission of the cluster.",
            );
        }
        const change = changes.get(cluster.clusterId);
        if (cluster.state === "updating" || (change && now() < change.finishedAt + cooldownMs)) {
            return error(
                409,
                "ErrClusterStateConflict",
                "The cluster is updating or was updated less than 5 minutes ago, please retry later.",
            );
        }
        if (cluster.state !== "running") {
            return error(
                400,
                "ErrorClusterState",
                `The cluster state ${cluster.state} does not allow this operation.`,
            );
        }
        let body: { kms_key_id?: unknown; disable_encryption?: unknown };
        try {
            body = JSON.parse(request.body || "{}") as typeof body;
        } catch {
            return error(400, "InvalidParameter", "The request body is not JSON.");
        }
        if (!cluster.clusterSpec.startsWith("ack.pro.")) {
            return error(
                400,
                "ErrorClusterSpecNotSupported",
                "Secret encryption is only supported by ACK Pro clusters.",
            );
        }
        const disable = body.disable_encryption === true;
        if (!disable && typeof body.kms_key_id !== "string") {
            return error(400, "InvalidParameter", "kms_key_id is required to enable encryption.");
        }
        cluster.encryptionDisabled = disable;
        cluster.encryptionKeyId = disable ? undefined : (body.kms_key_id as string);
        cluster.state = "updating";
        const startedAt = now();
        changes.set(cluster.clusterId, { startedAt, finishedAt: startedAt + updateDurationMs });
        return { statusCode: 202, body: undefined };
    };

    const listClusters = (request: SignedRequest): ApiAnswer => {
        const regionId = request.query.get("region_id");
        const pageSize = Number(request.query.get("page_size") ?? "10");
        const pageNumber = Number(request.query.get("page_number") ?? "1");
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
            return error(400, "InvalidParameter", "page_size must be from 1 to 100.");
        }
        const inRegion = [...clusters.values()]
            .filter((c) => !regionId || c.regionId === regionId)
            .sort((a, b) => a.clusterId.localeCompare(b.clusterId));
        const page = inRegion
            .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
            .slice(0, options.pageItemLimit ?? pageSize);
        page.forEach(settle);
        return {
            statusCode: 200,
            body: {
                clusters: page.map((c) => describe(c).body),
                page_info: {
                    page_number: pageNumber,
                    page_size: pageSize,
                    total_count: inRegion.length,
                },
            },
        };
    };

    const server = await serveSignedApi(options.credentials, (request) => {
        const listAction =
            request.method === "GET" && request.path === "/api/v1/clusters"
                ? "DescribeClustersV1"
                : request.method === "GET" && request.path === "/regions"
                  ? "DescribeRegions"
                  : undefined;
        if (listAction) {
            const throttle = throttles.find((t) => !t.action || t.action === listAction);
            let answer: ApiAnswer;
            if (request.headers["x-acs-action"] !== listAction) {
                answer = error(400, "InvalidAction", `x-acs-action is not ${listAction}.`);
            } else if (throttle) {
                throttle.times--;
                if (throttle.times <= 0) {
                    throttles.splice(throttles.indexOf(throttle), 1);
                }
                answer = error(
                    400,
                    "Throttling.User",
                    "Request was denied due to user flow control.",
                );
            } else {
                answer =
                    listAction === "DescribeClustersV1"
                        ? listClusters(request)
                        : {
                              statusCode: 200,
                              body: {
                                  requestId: randomUUID(),
                                  regions: regions.map((regionId) => ({
                                      regionId,
                                      localName: regionId,
                                  })),
                              },
                          };
            }
            calls.push({
                action: listAction,
                clusterId: "",
                at: now(),
                statusCode: answer.statusCode,
            });
            return answer;
        }
        const detail = /^\/clusters\/([^/]+)$/.exec(request.path);
        const kms = /^\/clusters\/([^/]+)\/kms$/.exec(request.path);
        const action =
            detail && request.method === "GET"
                ? "DescribeClusterDetail"
                : kms && request.method === "PUT"
                  ? "UpdateKMSEncryption"
                  : undefined;
        if (!action) {
            return error(404, "InvalidAction.NotFound", `${request.method} ${request.path}`);
        }
        if (request.headers["x-acs-action"] !== action) {
            return error(400, "InvalidAction", `x-acs-action is not ${action}.`);
        }
        const clusterId = decodeURIComponent((detail ?? kms)![1]);
        const cluster = clusters.get(clusterId);
        let answer: ApiAnswer;
        if (!cluster) {
            answer = error(404, "ErrorClusterNotFound", `The cluster ${clusterId} is not found.`);
        } else {
            settle(cluster);
            answer =
                action === "DescribeClusterDetail"
                    ? describe(cluster)
                    : updateKms(cluster, request);
        }
        calls.push({
            action,
            clusterId,
            at: now(),
            statusCode: answer.statusCode,
            body: parseJson(request.body),
        });
        return answer;
    });

    return {
        url: server.url,
        calls,
        clusters,
        addCluster(partial) {
            const cluster: EmulatedCluster = {
                name: partial.clusterId,
                regionId: "cn-hangzhou",
                clusterSpec: "ack.pro.small",
                clusterType: "ManagedKubernetes",
                state: "running",
                currentVersion: "1.31.1-aliyun.1",
                encryptionDisabled: true,
                forbiddenFor: [],
                ...partial,
            };
            clusters.set(cluster.clusterId, cluster);
            return cluster;
        },
        throttle(times, action) {
            throttles.push({ times, action });
        },
        regions,
        markChangeFinished(clusterId, at) {
            changes.set(clusterId, { startedAt: at, finishedAt: at });
        },
        rejectedSignatures: () => server.rejected.length,
        close: () => server.close(),
    };
}
