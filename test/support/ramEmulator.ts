// A local RAM RPC API answering ListPolicies (custom policies, paged by Marker), GetPolicy and
// ListEntitiesForPolicy (the users, roles and groups a policy is attached to).
import { randomUUID } from "crypto";
import { EmulatorCredential, serveSignedApi } from "./roaSignature";

export interface EmulatedPolicy {
    policyName: string;
    /**
     * The policy document: an object is sent as JSON, a string as it is, so a test can store text
     * RAM's create-time checks may refuse (duplicate keys, a byte-order mark): verify must not
     * count on never reading one.
     */
    document: unknown;
    attachmentCount: number;
    /** Principals it is attached to, for ListEntitiesForPolicy. Defaults to none. */
    attachedTo?: { users?: string[]; roles?: string[]; groups?: string[] };
}

export interface RamEmulator {
    url: string;
    policies: EmulatedPolicy[];
    /** Who each system policy is attached to, for ListEntitiesForPolicy; unnamed ones: nobody. */
    systemAttachments: Map<string, { users?: string[]; roles?: string[]; groups?: string[] }>;
    actions: string[];
    rejectedSignatures(): number;
    close(): Promise<void>;
}

export async function startRamEmulator(options: {
    credentials: EmulatorCredential[];
    policies?: EmulatedPolicy[];
    /** Page size of ListPolicies, to exercise Marker paging. Defaults to MaxItems. */
    pageSize?: number;
}): Promise<RamEmulator> {
    const policies = options.policies ?? [];
    const actions: string[] = [];
    const systemAttachments = new Map<
        string,
        { users?: string[]; roles?: string[]; groups?: string[] }
    >();
    const fail = (statusCode: number, code: string, message: string) => ({
        statusCode,
        body: { Code: code, Message: message, RequestId: randomUUID() },
    });
    const server = await serveSignedApi(options.credentials, (request) => {
        const action = String(request.headers["x-acs-action"]);
        const parameters = Object.fromEntries(request.query.entries());
        actions.push(action);
        if (request.headers["x-acs-version"] !== "2015-05-01") {
            return fail(400, "InvalidVersion", "RAM's API version is 2015-05-01.");
        }
        if (action === "ListPolicies") {
            const custom = parameters.PolicyType === "Custom" ? policies : [];
            const size = Math.min(options.pageSize ?? 1000, Number(parameters.MaxItems ?? "100"));
            const offset = parameters.Marker ? Number(parameters.Marker) : 0;
            const page = custom.slice(offset, offset + size);
            const truncated = offset + size < custom.length;
            return {
                statusCode: 200,
                body: {
                    RequestId: randomUUID(),
                    IsTruncated: truncated,
                    ...(truncated ? { Marker: String(offset + size) } : {}),
                    Policies: {
                        Policy: page.map((p) => ({
                            PolicyName: p.policyName,
                            PolicyType: "Custom",
                            DefaultVersion: "v1",
                            AttachmentCount: p.attachmentCount,
                        })),
                    },
                },
            };
        }
        if (action === "GetPolicy") {
            const policy = policies.find((p) => p.policyName === parameters.PolicyName);
            if (!policy || parameters.PolicyType !== "Custom") {
                return fail(
                    404,
                    "EntityNotExist.Policy",
                    `The policy ${parameters.PolicyName} does not exist.`,
                );
            }
            return {
                statusCode: 200,
                body: {
                    RequestId: randomUUID(),
                    Policy: {
                        PolicyName: policy.policyName,
                        PolicyType: "Custom",
                        DefaultVersion: "v1",
                        AttachmentCount: policy.attachmentCount,
                    },
                    DefaultPolicyVersion: {
                        VersionId: "v1",
                        IsDefaultVersion: true,
                        PolicyDocument:
                            typeof policy.document === "string"
                                ? policy.document
                                : JSON.stringify(policy.document),
                    },
                },
            };
        }
        if (action === "ListEntitiesForPolicy") {
            const policy =
                parameters.PolicyType === "System"
                    ? {
                          attachedTo: systemAttachments.get(parameters.PolicyName) ?? {},
                      }
                    : policies.find((p) => p.policyName === parameters.PolicyName);
            if (!policy) {
                return fail(
                    404,
                    "EntityNotExist.Policy",
                    `The policy ${parameters.PolicyName} does not exist.`,
                );
            }
            const to = policy.attachedTo ?? {};
            return {
                statusCode: 200,
                body: {
                    RequestId: randomUUID(),
                    Users: { User: (to.users ?? []).map((UserName) => ({ UserName })) },
                    Roles: { Role: (to.roles ?? []).map((RoleName) => ({ RoleName })) },
                    Groups: { Group: (to.groups ?? []).map((GroupName) => ({ GroupName })) },
                },
            };
        }
        return fail(404, "InvalidAction.NotFound", action);
    });
    return {
        url: server.url,
        policies,
        systemAttachments,
        actions,
        rejectedSignatures: () => server.rejected.length,
        close: () => server.close(),
    };
}
