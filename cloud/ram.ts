// RAM (API 2015-05-01) reads for `ack-kms verify`: which custom policies Deny cs:UpdateKMSEncryption
// for a cluster, and whether they are attached to anyone. No RAM SDK is installed, so the calls go
// through openapi-client's generic call. Documents are judged by the pack's parser and matcher
// (policy/ram/documents.ts), the one rule for the pack and verify.

import {
    denyScope,
    denyScopeCoversCluster,
    isUnreadable,
    parsePolicyDocument,
} from "../policy/ram/documents";
import { CloudCredentials } from "./credentials";
import { createRpcClient, RpcClient } from "./openApiCall";

export const ramApiVersion = "2015-05-01";

export interface RamClientOptions {
    /** Host or http(s) URL. Defaults to `ram.aliyuncs.com` (RAM is global). */
    endpoint?: string;
    credentials: CloudCredentials;
    timeoutMs?: number;
}

export function createRamClient(options: RamClientOptions): RpcClient {
    return createRpcClient({
        service: "RAM",
        apiVersion: ramApiVersion,
        endpoint: options.endpoint ?? "ram.aliyuncs.com",
        regionId: "cn-hangzhou",
        credentials: options.credentials,
        timeoutMs: options.timeoutMs,
    });
}

export interface PolicySummary {
    policyName: string;
    policyType: string;
    /** Unset when RAM's answer lacks it: then the policy may be attached (fail closed). */
    attachmentCount?: number;
    defaultVersion?: string;
}

function asArray(value: unknown): unknown[] {
    if (Array.isArray(value)) {
        return value;
    }
    return value === undefined || value === null ? [] : [value];
}

function asRecord(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** Every custom policy of the account, following `Marker` through the pages (bounded). */
export async function listCustomPolicies(
    client: RpcClient,
    maxPages = 20,
): Promise<PolicySummary[]> {
    const policies: PolicySummary[] = [];
    let marker: string | undefined;
    for (let page = 0; page < maxPages; page++) {
        const parameters: Record<string, string> = { PolicyType: "Custom", MaxItems: "1000" };
        if (marker) {
            parameters.Marker = marker;
        }
        const answer = await client.call("ListPolicies", parameters);
        for (const raw of asArray(asRecord(answer.Policies).Policy)) {
            const policy = asRecord(raw);
            policies.push({
                policyName: String(policy.PolicyName ?? ""),
                policyType: String(policy.PolicyType ?? "Custom"),
                ...(policy.AttachmentCount === undefined
                    ? {}
                    : { attachmentCount: Number(policy.AttachmentCount) }),
                defaultVersion:
                    typeof policy.DefaultVersion === "string" ? policy.DefaultVersion : undefined,
            });
        }
        const truncated = answer.IsTruncated === true || answer.IsTruncated === "true";
        marker = typeof answer.Marker === "string" ? answer.Marker : undefined;
        if (!truncated || !marker) {
            break;
        }
    }
    return policies;
}

/**
 * The default version's document of a policy, as RAM returns it (a JSON text), unparsed: the
 * pack's parser reads it, duplicate keys and byte-order marks included.
 */
export async function getPolicyDocument(
    client: RpcClient,
    policyName: string,
    policyType = "Custom",
): Promise<unknown> {
    const answer = await client.call("GetPolicy", {
        PolicyName: policyName,
        PolicyType: policyType,
    });
    return asRecord(answer.DefaultPolicyVersion).PolicyDocument;
}

/** What a policy document does to an action on one cluster, as the pack judges it. */
export type ClusterDenyVerdict =
    | { verdict: "denies" }
    | { verdict: "does-not-deny" }
    | { verdict: "unreadable"; problems: string[] };

/**
 * Whether a policy document (the text GetPolicy returns) surely denies `action` on the cluster:
 * a Deny without Condition or NotResource whose Action/NotAction covers the action and whose
 * Resource covers `acs:cs:<region>:*:cluster/<id>` (policy/ram/documents.ts decides; this only
 * asks). A document that cannot be read unambiguously is `unreadable`, with what could not be read.
 */
export function clusterDenyVerdict(
    document: unknown,
    action: string,
    clusterId: string,
    regionId: string,
): ClusterDenyVerdict {
    const parsed = parsePolicyDocument(document);
    if (isUnreadable(parsed)) {
        return { verdict: "unreadable", problems: parsed.problems };
    }
    const denies = parsed.some((statement) => {
        const scope = denyScope(statement, action);
        return scope !== undefined && denyScopeCoversCluster(scope, clusterId, regionId);
    });
    return { verdict: denies ? "denies" : "does-not-deny" };
}

export interface PolicyEntities {
    users: string[];
    roles: string[];
    groups: string[];
}

/** The users, roles and groups a policy is attached to (ListEntitiesForPolicy). */
export async function listEntitiesForPolicy(
    client: RpcClient,
    policyName: string,
    policyType = "Custom",
): Promise<PolicyEntities> {
    const answer = await client.call("ListEntitiesForPolicy", {
        PolicyName: policyName,
        PolicyType: policyType,
    });
    const names = (list: unknown, item: string, field: string) =>
        asArray(asRecord(list)[item])
            .map((raw) => asRecord(raw)[field])
            .filter((name): name is string => typeof name === "string" && name !== "");
    return {
        users: names(answer.Users, "User", "UserName"),
        roles: names(answer.Roles, "Role", "RoleName"),
        groups: names(answer.Groups, "Group", "GroupName"),
    };
}
