// RAM (API 2015-05-01) reads for `ack-kms verify`: which custom policies Deny cs:UpdateKMSEncryption
// for a cluster, and whether they are attached to anyone. No RAM SDK is installed, so the calls go
// through openapi-client's generic call.

import { ramActionMatches, updateKmsEncryptionAction } from "../policy/facts";
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
    attachmentCount: number;
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
                attachmentCount: Number(policy.AttachmentCount ?? 0),
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

/** The default version's document of a policy, parsed. */
export async function getPolicyDocument(
    client: RpcClient,
    policyName: string,
    policyType = "Custom",
): Promise<unknown> {
    const answer = await client.call("GetPolicy", {
        PolicyName: policyName,
        PolicyType: policyType,
    });
    const document = asRecord(answer.DefaultPolicyVersion).PolicyDocument;
    if (typeof document !== "string") {
        return document ?? {};
    }
    try {
        return JSON.parse(document) as unknown;
    } catch {
        return {};
    }
}

/** Whether a RAM Resource pattern covers one ACK cluster (`acs:cs:<region>:<account>:cluster/<id>`). */
export function resourceCoversCluster(
    pattern: string,
    clusterId: string,
    regionId: string,
): boolean {
    if (pattern === "*") {
        return true;
    }
    const parts = pattern.split(":");
    if (parts.length < 5) {
        return false;
    }
    const [scheme, service, region, , ...rest] = parts;
    return (
        ramActionMatches(scheme, "acs") &&
        ramActionMatches(service, "cs") &&
        ramActionMatches(region, regionId) &&
        ramActionMatches(rest.join(":"), `cluster/${clusterId}`)
    );
}

export interface DenyStatementMatch {
    /** Whether the matching statement carries a Condition, which may narrow when it applies. */
    conditional: boolean;
}

/**
 * The Deny statements of a policy document that refuse cs:UpdateKMSEncryption on the cluster,
 * by name or wildcard (RAM matches actions case-insensitively).
 */
export function denyStatementsForUpdateKmsEncryption(
    document: unknown,
    clusterId: string,
    regionId: string,
): DenyStatementMatch[] {
    const matches: DenyStatementMatch[] = [];
    for (const raw of asArray(asRecord(document).Statement)) {
        const statement = asRecord(raw);
        if (String(statement.Effect ?? "").toLowerCase() !== "deny") {
            continue;
        }
        const actions = asArray(statement.Action).filter((a): a is string => typeof a === "string");
        const resources = asArray(statement.Resource).filter(
            (r): r is string => typeof r === "string",
        );
        if (
            actions.some((a) => ramActionMatches(a, updateKmsEncryptionAction)) &&
            resources.some((r) => resourceCoversCluster(r, clusterId, regionId))
        ) {
            matches.push({ conditional: statement.Condition !== undefined });
        }
    }
    return matches;
}
