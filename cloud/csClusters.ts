// The fleet view of Container Service: every ACK cluster of a region (DescribeClustersV1, GET
// /api/v1/clusters, paged by page_number/page_size with page_info.total_count) and the regions ACK
// serves (DescribeRegions, GET /regions), through @alicloud/cs20151215. Clusters are read into the
// same ClusterDetail that `verify` judges, Secret encryption from `meta_data` as DescribeClusterDetail.

import { DescribeClustersV1Request, DescribeRegionsRequest } from "@alicloud/cs20151215";
import { ClusterDetail, CsClient, csService, encryptionFromMetaData } from "./cs";
import { CloudApiError, toCloudApiError } from "./errors";

/** DescribeClustersV1 takes page sizes up to 100 (its API reference). */
export const maxClusterPageSize = 100;

export interface ClusterListing {
    clusters: ClusterDetail[];
    pages: number;
    /** `page_info.total_count` of the last page. */
    totalCount: number;
}

export interface ListClustersOptions {
    /** Defaults to 100. */
    pageSize?: number;
    /** Stops after this many pages (a guard against a listing that never ends). Defaults to 1000. */
    maxPages?: number;
    /** Runs each page's call; retries go here (cloud/retry.ts). Defaults to calling once. */
    call?<T>(operation: () => Promise<T>): Promise<T>;
}

function clusterOf(raw: Record<string, unknown>, regionId: string): ClusterDetail {
    const text = (name: string) => (typeof raw[name] === "string" ? (raw[name] as string) : "");
    const encryption = encryptionFromMetaData(text("metaData") || undefined);
    return {
        clusterId: text("clusterId"),
        name: text("name"),
        regionId: text("regionId") || regionId,
        clusterType: text("clusterType"),
        clusterSpec: text("clusterSpec"),
        profile: text("profile") || undefined,
        state: text("state").toLowerCase(),
        currentVersion: text("currentVersion") || undefined,
        encryptionKeyId: encryption.keyId,
        encryptionEnabled: encryption.enabled,
    };
}

/** Every cluster of `regionId` the credentials can see, page after page. */
export async function listClusters(
    client: CsClient,
    regionId: string,
    options: ListClustersOptions = {},
): Promise<ClusterListing> {
    const pageSize = Math.min(options.pageSize ?? maxClusterPageSize, maxClusterPageSize);
    const maxPages = options.maxPages ?? 1000;
    const call = options.call ?? (<T>(operation: () => Promise<T>) => operation());
    const clusters: ClusterDetail[] = [];
    let totalCount = 0;
    for (let page = 1; page <= maxPages; page++) {
        const body = await call(async () => {
            try {
                const request = new DescribeClustersV1Request({
                    regionId,
                    pageNumber: page,
                    pageSize,
                });
                return (await client.describeClustersV1(request)).body;
            } catch (error) {
                throw toCloudApiError(csService, "DescribeClustersV1", error);
            }
        });
        const items = (body?.clusters ?? []) as unknown as Array<Record<string, unknown>>;
        clusters.push(...items.map((item) => clusterOf(item, regionId)));
        totalCount = Number(body?.pageInfo?.totalCount ?? clusters.length);
        if (clusters.length >= totalCount) {
            return { clusters, pages: page, totalCount };
        }
        if (items.length < pageSize) {
            // Fail closed: a page cut short leaves clusters unlisted that the region still has.
            throw new CloudApiError({
                service: csService,
                action: "DescribeClustersV1",
                code: "IncompleteListing",
                message: `the cluster listing of ${regionId} ended at ${clusters.length} of the ${totalCount} clusters it counts`,
            });
        }
    }
    throw new CloudApiError({
        service: csService,
        action: "DescribeClustersV1",
        code: "TooManyPages",
        message: `the cluster listing of ${regionId} did not end within ${maxPages} pages of ${pageSize}`,
    });
}

/** The region ids where ACK serves clusters, as DescribeRegions lists them. */
export async function describeCsRegions(client: CsClient): Promise<string[]> {
    let body;
    try {
        body = (await client.describeRegions(new DescribeRegionsRequest({}))).body;
    } catch (error) {
        throw toCloudApiError(csService, "DescribeRegions", error);
    }
    const regions = (body?.regions ?? [])
        .map((region) => region.regionId)
        .filter((id): id is string => typeof id === "string" && id !== "");
    if (regions.length === 0) {
        throw new CloudApiError({
            service: csService,
            action: "DescribeRegions",
            code: "EmptyResponse",
            message: "no region returned",
            requestId: body?.requestId,
        });
    }
    return regions;
}
