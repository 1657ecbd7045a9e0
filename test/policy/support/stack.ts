// Builders of engine-shaped resources for the policy tests, and a harness that runs the real pack
// through offline/analyzer/ (started once per suite, reconfigured per case).
import * as path from "path";
import {
    analyzeWithPack,
    PolicyAnalysis,
    PolicyPackProcess,
    PolicyResource,
    unknownSentinel,
} from "../../../offline/analyzer";
import {
    existingClusterEncryptionKind,
    keyDeletionGuardKind,
    resourceTypes,
} from "../../../policy/facts";

export const project = "shop";
export const stack = "dev";
export const packDir = path.join(__dirname, "..", "..", "..", "policy");
export const unknown = unknownSentinel;

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** The default alicloud provider; `null` leaves its region unset. */
export function provider(region: string | null = "cn-hangzhou", name = "default_3_108_0") {
    return {
        urn: urnOf("pulumi:providers:alicloud", name),
        type: "pulumi:providers:alicloud",
        name,
        properties: region === null ? { version: "3.108.0" } : { region, version: "3.108.0" },
    };
}

interface Extra {
    protect?: boolean;
    /** the provider's region; null for none */
    region?: string | null;
    noProvider?: boolean;
    propertyDependencies?: Record<string, string[]>;
}

export function resource(
    type: string,
    name: string,
    properties: Record<string, unknown>,
    extra: Extra = {},
): PolicyResource {
    const propertyDependencies = extra.propertyDependencies ?? {};
    return {
        urn: urnOf(type, name),
        type,
        name,
        custom: true,
        properties,
        dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        propertyDependencies,
        protect: extra.protect,
        provider: extra.noProvider ? undefined : provider(extra.region),
    };
}

export const keyId = "key-hzz65f2c9a1e0bxyz";
export const keyArn = (id = keyId, region = "cn-hangzhou") =>
    `acs:kms:${region}:1234567890:key/${id}`;

/** A KMS key that passes every key policy, in update form (arn known). */
export function key(
    name = "secrets",
    props: Record<string, unknown> = {},
    extra: Extra = {},
): PolicyResource {
    return resource(
        resourceTypes.kmsKey,
        name,
        {
            arn: keyArn(),
            keySpec: "Aliyun_AES_256",
            keyUsage: "ENCRYPT/DECRYPT",
            status: "Enabled",
            deletionProtection: "Enabled",
            automaticRotation: "Enabled",
            rotationInterval: "365d",
            ...props,
        },
        { protect: true, ...extra },
    );
}

/** The same key as `pulumi preview` sees it when new: arn unknown. */
export function previewKey(
    name = "secrets",
    props: Record<string, unknown> = {},
    extra: Extra = {},
): PolicyResource {
    return key(name, { arn: unknown, ...props }, extra);
}

/** A managed ACK Pro cluster bound to `keyRef`; `boundTo` links it through propertyDependencies. */
export function cluster(
    name = "prod",
    props: Record<string, unknown> = {},
    extra: Extra & { boundTo?: PolicyResource; type?: string } = {},
): PolicyResource {
    return resource(
        extra.type ?? resourceTypes.managedCluster,
        name,
        {
            clusterSpec: "ack.pro.small",
            encryptionProviderKey: keyId,
            disableEncryption: false,
            ...props,
        },
        {
            ...extra,
            propertyDependencies: extra.boundTo
                ? {
                      encryptionProviderKey: [extra.boundTo.urn],
                      ...(extra.propertyDependencies ?? {}),
                  }
                : extra.propertyDependencies,
        },
    );
}

export function guard(
    name: string,
    props: Record<string, unknown>,
    extra: Extra & { guarding?: PolicyResource } = {},
): PolicyResource {
    return resource(
        resourceTypes.dynamicResource,
        name,
        { kind: keyDeletionGuardKind, keyId, regionId: "cn-hangzhou", boundTo: "prod", ...props },
        {
            ...extra,
            propertyDependencies: extra.guarding
                ? { keyId: [extra.guarding.urn] }
                : extra.propertyDependencies,
        },
    );
}

/** The id of an ACK cluster created outside the stack. */
export const externalClusterId = "c0123456789abcdef0123456789abcdef";

/** The provider of dynamic resources, which has no region. */
const dynamicProvider = {
    urn: urnOf("pulumi:providers:pulumi-nodejs", "default"),
    type: "pulumi:providers:pulumi-nodejs",
    name: "default",
    properties: {},
};

/**
 * The dynamic resource of an ExistingClusterEncryption, in update form: it binds the external
 * cluster `externalClusterId` in cn-hangzhou to `keyId`; `boundTo` links its keyId through
 * propertyDependencies.
 */
export function existingClusterEncryption(
    name = "prod-encryption",
    props: Record<string, unknown> = {},
    extra: Extra & { boundTo?: PolicyResource } = {},
): PolicyResource {
    const encryption = resource(
        resourceTypes.dynamicResource,
        name,
        {
            kind: existingClusterEncryptionKind,
            clusterId: externalClusterId,
            keyId,
            regionId: "cn-hangzhou",
            disableOnDelete: false,
            ...props,
        },
        {
            ...extra,
            propertyDependencies: extra.boundTo
                ? { keyId: [extra.boundTo.urn], ...(extra.propertyDependencies ?? {}) }
                : extra.propertyDependencies,
        },
    );
    return { ...encryption, provider: dynamicProvider };
}

export function document(...statements: Array<Record<string, unknown>>): string {
    return JSON.stringify({ Version: "1", Statement: statements });
}

export const denyStatement = { Effect: "Deny", Action: "cs:UpdateKMSEncryption", Resource: "*" };

/** An Allow statement of `action` on every resource. */
export const allow = (action: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Action: action,
    Resource: "*",
    ...extra,
});

export function ramPolicy(
    name: string,
    props: Record<string, unknown>,
    extra: Extra = {},
): PolicyResource {
    return resource(resourceTypes.ramPolicy, name, { policyName: name, ...props }, extra);
}

export function resourceManagerPolicy(
    name: string,
    props: Record<string, unknown>,
): PolicyResource {
    return resource(resourceTypes.resourceManagerPolicy, name, { policyName: name, ...props });
}

export function role(name: string, props: Record<string, unknown> = {}): PolicyResource {
    return resource(resourceTypes.ramRole, name, { roleName: name, ...props });
}

export function policyVersion(
    name: string,
    props: Record<string, unknown>,
    extra: Extra = {},
): PolicyResource {
    return resource(resourceTypes.resourceManagerPolicyVersion, name, props, extra);
}

export function user(name: string): PolicyResource {
    return resource(resourceTypes.ramUser, name, { name });
}

export function group(name: string): PolicyResource {
    return resource(resourceTypes.ramGroup, name, { groupName: name });
}

/** A Resource Manager attachment of `policyName` to a RAM role, at `resourceGroupId`. */
export function resourceManagerAttachment(
    roleName: string,
    policyName: string,
    resourceGroupId: unknown,
    policyType = "Custom",
): PolicyResource {
    return resource(resourceTypes.resourceManagerPolicyAttachment, `rm-${roleName}-${policyName}`, {
        principalName: `${roleName}@role.1234567890.onaliyunservice.com`,
        principalType: "ServiceRole",
        policyName,
        policyType,
        resourceGroupId,
    });
}

const attachmentTypes = {
    user: [resourceTypes.ramUserPolicyAttachment, "userName"],
    role: [resourceTypes.ramRolePolicyAttachment, "roleName"],
    group: [resourceTypes.ramGroupPolicyAttachment, "groupName"],
} as const;

export function attach(
    kind: "user" | "role" | "group",
    principal: string,
    policyName: string,
    policyType: "System" | "Custom" | string = "Custom",
    extra: Extra = {},
): PolicyResource {
    const [type, nameKey] = attachmentTypes[kind];
    return resource(
        type,
        `${principal}-${policyName}`.replace(/[^A-Za-z0-9-]/g, "-"),
        { [nameKey]: principal, policyName, policyType },
        extra,
    );
}

/** The advisory notice a policy gives when `what` of `resource` is unknown in preview. */
export function previewNotice(what: string, resource: string): string {
    return `Could not check ${what} of ${resource} during preview: it is unknown until the update; it is checked then.`;
}

/** The violation of ram-no-allow-update-kms-encryption for a document the pack cannot read. */
export function unreadable(problems: string, what = "the policy document"): string {
    return `Rewrite ${what} so it can be read unambiguously (${problems}): the pack does not pass what it cannot read.`;
}

/** The real pack for the cases of the describe it is called in: started before them, closed after. */
export function startedPack(dryRun = true): PackHarness {
    const harness = new PackHarness();
    before(() => harness.start(dryRun));
    after(() => harness.close());
    return harness;
}

/** One policy's messages (text and URN) on `resources`, with an optional policy config. */
export function policyMessages(harness: PackHarness, policy: string) {
    return (resources: PolicyResource[], config: Record<string, unknown> = {}) =>
        harness.messages(policy, resources, config);
}

/** The analyzer harness: the real pack, started once. */
export class PackHarness {
    pack!: PolicyPackProcess;

    async start(dryRun = true): Promise<void> {
        this.pack = await PolicyPackProcess.start({ packDir, project, stack, dryRun });
    }

    async run(
        resources: PolicyResource[],
        config: Record<string, unknown> = {},
    ): Promise<PolicyAnalysis> {
        // Each Configure starts from the pack's own levels, whatever the order the cases run in.
        await this.pack.configure(config);
        return analyzeWithPack(this.pack, resources);
    }

    /** The violation messages of one policy, without the description line the SDK puts first. */
    async messages(
        policy: string,
        resources: PolicyResource[],
        config: Record<string, unknown> = {},
    ): Promise<Array<[string, string | undefined]>> {
        const { violations } = await this.run(resources, config);
        return violations
            .filter((v) => v.policyName === policy)
            .map((v) => [v.message.slice(v.message.indexOf("\n") + 1), v.urn]);
    }

    async close(): Promise<void> {
        await this.pack?.close();
    }
}
