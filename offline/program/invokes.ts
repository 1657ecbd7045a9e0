// Results for the data sources (invokes) a program calls while `ack-kms plan` runs it offline.
// Built-in results cover the data sources our components and examples call; a --mocks file adds
// or replaces results; any other invoke fails with a message that says how to supply one.
import * as fs from "fs";
import type * as YamlModule from "yaml";
import * as facts from "../../policy/facts";

/** What a --mocks file holds: invoke token -> result, resource type -> outputs added in update mode. */
export interface PlanMocks {
    invokes: Record<string, Record<string, unknown>>;
    resources: Record<string, Record<string, unknown>>;
}

/** Facts about the place the program is planned for, shared by invoke results and mock outputs. */
export interface MockContext {
    region: string;
    accountId: string;
}

/** The account id mock ARNs carry: 16 digits, as Alibaba Cloud account ids have. */
export const mockAccountId = "1000000000000001";

/** The region mock ARNs and zones use when neither the stack nor the environment sets one. */
export const fallbackRegion = "cn-hangzhou";

export class MocksFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MocksFileError";
    }
}

export function loadMocksFile(file: string): PlanMocks {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new MocksFileError(`[--mocks] "${file}" cannot be read: give a JSON or YAML file.`);
    }
    let content: unknown;
    try {
        content = yaml().parse(text); // YAML is a superset of JSON
    } catch (e) {
        throw new MocksFileError(
            `[--mocks] "${file}" is not valid JSON or YAML: ${(e as Error).message}`,
        );
    }
    const expected = `a mapping with "invokes" (token -> result object) and/or "resources" (type -> outputs object)`;
    if (!isRecord(content)) {
        throw new MocksFileError(`[--mocks] "${file}" must hold ${expected}.`);
    }
    const unknownKeys = Object.keys(content).filter((k) => k !== "invokes" && k !== "resources");
    if (unknownKeys.length > 0) {
        throw new MocksFileError(
            `[--mocks] "${file}" has unknown key(s) ${unknownKeys.join(", ")}: it must hold ${expected}.`,
        );
    }
    const section = (key: "invokes" | "resources") => {
        const value = content[key] ?? {};
        if (!isRecord(value) || !Object.values(value).every(isRecord)) {
            throw new MocksFileError(
                `[--mocks] "${file}": "${key}" must map each token to an object, as in ${expected}.`,
            );
        }
        return value as Record<string, Record<string, unknown>>;
    };
    return { invokes: section("invokes"), resources: section("resources") };
}

/** The message of an invoke that has no result. */
export function missingInvokeMessage(token: string): string {
    return (
        `ack-kms plan has no offline result for the data source ${token}: ` +
        `give one with --mocks <file>, a JSON or YAML file such as ` +
        `{"invokes": {"${token}": { ...result fields... }}}.`
    );
}

type InvokeResult = (
    inputs: Record<string, unknown>,
    context: MockContext,
) => Record<string, unknown>;

/** Data sources of the alicloud provider our components and examples call, answered plausibly. */
const builtinInvokes: Record<string, InvokeResult> = {
    "alicloud:index/getZones:getZones": (inputs, { region }) => {
        const ids = ["a", "b", "c"].map((suffix) => `${region}-${suffix}`);
        return {
            ...inputs,
            id: region,
            ids,
            zones: ids.map((id) => ({
                id,
                localName: id,
                availableInstanceTypes: [],
                availableResourceCreations: ["VSwitch", "Instance", "Disk", "Slb"],
                availableDiskCategories: ["cloud_essd", "cloud_efficiency"],
                multiZoneIds: [],
                slbSlaveZoneIds: [],
            })),
        };
    },
    "alicloud:ram/getRoles:getRoles": (inputs, { accountId }) => {
        // The only role the offline account has is ACK's service role, as if ACK were activated.
        const role = {
            id: `3000000000000${accountId.slice(-6)}`,
            name: facts.securityRoleName,
            arn: `acs:ram::${accountId}:role/${facts.securityRoleName.toLowerCase()}`,
            description: "ACK managed security role (offline plan)",
            assumeRolePolicyDocument: JSON.stringify(facts.securityRoleTrustPolicy),
            document: JSON.stringify(facts.securityRoleTrustPolicy),
            createDate: "2024-01-01T00:00:00Z",
            updateDate: "2024-01-01T00:00:00Z",
        };
        const byName =
            typeof inputs.nameRegex !== "string" ||
            new RegExp(inputs.nameRegex).test(facts.securityRoleName);
        const byId = !Array.isArray(inputs.ids) || inputs.ids.includes(role.id);
        const roles = byName && byId ? [role] : [];
        return {
            ...inputs,
            id: "roles",
            roles,
            ids: roles.map((r) => r.id),
            names: roles.map((r) => r.name),
        };
    },
    "alicloud:ram/getRolePolicyAttachments:getRolePolicyAttachments": (inputs) => {
        // ACK's service role has its system policy attached, as the console's authorization does.
        const roleName = String(inputs.roleName ?? "");
        const attachments =
            roleName === facts.securityRoleName
                ? [
                      {
                          id: `role:${facts.securityRolePolicyName}:System:${roleName}`,
                          policyName: facts.securityRolePolicyName,
                          policyType: "System",
                          description: "ACK managed security role policy (offline plan)",
                          attachDate: "2024-01-01T00:00:00Z",
                      },
                  ]
                : [];
        return { ...inputs, id: roleName, attachments, ids: attachments.map((a) => a.id) };
    },
    "alicloud:vpc/getEnhancedNatAvailableZones:getEnhancedNatAvailableZones": (
        inputs,
        { region },
    ) => {
        const zones = ["a", "b", "c"].map((suffix) => ({
            zoneId: `${region}-${suffix}`,
            localName: `${region}-${suffix}`,
        }));
        return { ...inputs, id: region, ids: zones.map((z) => z.zoneId), zones };
    },
    "alicloud:cs/getClusterCredential:getClusterCredential": (inputs) => {
        const clusterId = String(inputs.clusterId ?? "");
        return {
            ...inputs,
            id: clusterId,
            clusterName: clusterId,
            kubeConfig: offlineKubeconfig(clusterId),
            certificateAuthority: { clusterCert: "", clientCert: "", clientKey: "" },
        };
    },
    "alicloud:index/getAccount:getAccount": (inputs, { accountId }) => ({
        ...inputs,
        id: accountId,
    }),
    "alicloud:index/getCallerIdentity:getCallerIdentity": (inputs, { accountId }) => ({
        ...inputs,
        id: accountId,
        accountId,
        arn: `acs:ram::${accountId}:root`,
        identityType: "Account",
    }),
    "alicloud:index/getRegions:getRegions": (inputs, { region }) => ({
        ...inputs,
        id: region,
        ids: [region],
        regions: [{ id: region, regionId: region, localName: region }],
    }),
};

export function builtinInvokeTokens(): string[] {
    return Object.keys(builtinInvokes).sort();
}

/** The result of an invoke: the --mocks file first, then the built-in results; else undefined. */
export function invokeResult(
    token: string,
    inputs: Record<string, unknown>,
    context: MockContext,
    mocks: PlanMocks,
): Record<string, unknown> | undefined {
    if (token in mocks.invokes) {
        return mocks.invokes[token];
    }
    const builtin = builtinInvokes[token];
    return builtin ? builtin(inputs, context) : undefined;
}

function offlineKubeconfig(clusterId: string): string {
    return yaml().stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            { name: clusterId, cluster: { server: `https://${clusterId}.offline.invalid:6443` } },
        ],
        contexts: [{ name: clusterId, context: { cluster: clusterId, user: clusterId } }],
        "current-context": clusterId,
        users: [{ name: clusterId, user: { token: "offline-plan" } }],
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Loaded when a mocks file or a kubeconfig needs it: the program's process usually does not. */
function yaml(): typeof YamlModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("yaml") as typeof YamlModule;
}
