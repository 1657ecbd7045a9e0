// Ids and outputs of new resources in `ack-kms plan --mode update`: the inputs echoed plus the
// outputs the alicloud provider computes, with plausible ids and ARNs, so stack policies see known
// values. Ids derive from the URN, so two plans of one program agree.
import { createHash } from "crypto";
import * as facts from "../../policy/facts";
import { addHolder, holderEntry } from "../../components/keyDeletionGuard/holders";
import type { KeyDeletionGuardInputs } from "../../components/keyDeletionGuard/inputs";
import { guardOutputs, pickGuardInputs } from "../../components/keyDeletionGuard/state";
import { MockContext } from "./invokes";

export interface MockedResource {
    id: string;
    outputs: Record<string, unknown>;
}

type OutputsOf = (
    inputs: Record<string, unknown>,
    name: string,
    hex: string,
    context: MockContext,
    /** The id a read (`Resource.get`) or an import names; the outputs must agree with it. */
    givenId?: string,
) => { id: string; outputs: Record<string, unknown> };

const computedOutputs: Record<string, OutputsOf> = {
    [facts.resourceTypes.kmsKey]: (inputs, _name, hex, { region, accountId }, givenId) => {
        const id = givenId ?? `key-${region.replace(/[^a-z]/g, "").slice(0, 3)}${hex.slice(0, 21)}`;
        return {
            id,
            outputs: {
                ...facts.kmsKeyDefaults,
                origin: "Aliyun_KMS",
                pendingWindowInDays: facts.pendingWindowInDays.default,
                ...inputs,
                arn: `acs:kms:${region}:${accountId}:key/${id}`,
                creator: accountId,
                creationDate: "2024-01-01T00:00:00Z",
                primaryKeyVersion: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`,
            },
        };
    },
    [facts.resourceTypes.managedCluster]: (inputs, _name, hex) => clusterOutputs(inputs, hex),
    [facts.resourceTypes.serverlessCluster]: (inputs, _name, hex) => clusterOutputs(inputs, hex),
    [facts.resourceTypes.dedicatedCluster]: (inputs, _name, hex) => clusterOutputs(inputs, hex),
    [facts.resourceTypes.ramRole]: (inputs, name, hex, { accountId }) => {
        const roleName = String(inputs.roleName ?? inputs.name ?? name);
        return {
            id: roleName,
            outputs: {
                ...inputs,
                roleName,
                name: roleName,
                roleId: `3${hex.replace(/[^0-9]/g, "0").slice(0, 18)}`,
                arn: `acs:ram::${accountId}:role/${roleName.toLowerCase()}`,
            },
        };
    },
    [facts.resourceTypes.ramPolicy]: (inputs, name) => {
        const policyName = String(inputs.policyName ?? inputs.name ?? name);
        return {
            id: policyName,
            outputs: {
                ...inputs,
                policyName,
                name: policyName,
                type: "Custom",
                defaultVersion: "v1",
            },
        };
    },
};

/**
 * Our own dynamic resources, told apart by their `kind` input: the outputs their providers return
 * after a create that found the key fit (cloud/keyChecks.ts) and changed what it had to.
 */
const dynamicOutputs: Record<string, OutputsOf> = {
    // What createGuard returns for a key without protection, through the same functions: the
    // inputs it keeps, protection turned on with this guard alone in the holder list, under a
    // token taken from the URN's hash instead of random bits (two plans of one program agree).
    [facts.keyDeletionGuardKind]: (inputs, _name, hex, context) => {
        const key = mockKeyOf(inputs, context);
        const kept = pickGuardInputs(inputs as unknown as KeyDeletionGuardInputs);
        const holderToken = hex.slice(0, 12);
        const boundTo = typeof kept.boundTo === "string" ? kept.boundTo : "";
        const held = addHolder(
            { protectionOn: false },
            holderToken,
            holderEntry(holderToken, boundTo),
        );
        const outputs = guardOutputs(
            kept,
            {
                keyId: key.kmsKeyId,
                arn: key.keyArn,
                deletionProtection: "Enabled",
                deletionProtectionDescription: held.kind === "foreign" ? "" : held.description,
            },
            { protectionWasAlreadyOn: false, holderToken, outcome: held.kind },
        );
        // The engine keeps the serialized provider beside the outputs of a dynamic resource.
        const withProvider: Record<string, unknown> = { ...outputs };
        if ("__provider" in inputs) {
            withProvider.__provider = inputs.__provider;
        }
        return { id: key.keyArn, outputs: withProvider };
    },
    [facts.existingClusterEncryptionKind]: (inputs, name, hex, context) => ({
        id: String(inputs.clusterId ?? genericId(facts.resourceTypes.dynamicResource, name, hex)),
        outputs: {
            ...inputs,
            ...mockKeyOf(inputs, context),
            encryptionWasAlreadyOn: false,
            encryptedWithKey: true,
        },
    }),
};

/** The key a dynamic resource names by id or ARN, as KMS's DescribeKey would report it. */
function mockKeyOf(
    inputs: Record<string, unknown>,
    { region, accountId }: MockContext,
): { kmsKeyId: string; keyArn: string } {
    const given = String(inputs.keyId ?? "");
    const kmsKeyId = facts.keyIdOf(given);
    const regionId = typeof inputs.regionId === "string" ? inputs.regionId : region;
    return {
        kmsKeyId,
        keyArn: facts.parseKeyArn(given)
            ? given
            : `acs:kms:${regionId}:${accountId}:key/${kmsKeyId}`,
    };
}

function clusterOutputs(inputs: Record<string, unknown>, hex: string): MockedResource {
    const id = `c${hex.slice(0, 32)}`;
    return {
        id,
        outputs: {
            ...inputs,
            vpcId: `vpc-${hex.slice(0, 20)}`,
            securityGroupId: `sg-${hex.slice(4, 24)}`,
            slbId: `lb-${hex.slice(8, 28)}`,
            state: "running",
        },
    };
}

/**
 * The id and outputs of a new resource in update mode. `extra` (from a --mocks file, by type) is
 * merged last, so a user can set any output the built-in table does not know.
 */
export function mockResource(
    type: string,
    name: string,
    urn: string,
    inputs: Record<string, unknown>,
    context: MockContext,
    extra?: Record<string, unknown>,
    givenId?: string,
): MockedResource {
    const hex = createHash("sha256").update(urn).digest("hex");
    const known =
        type === facts.resourceTypes.dynamicResource
            ? dynamicOutputs[String(inputs.kind)]
            : computedOutputs[type];
    const base = known
        ? known(inputs, name, hex, context, givenId)
        : { id: genericId(type, name, hex), outputs: { ...inputs } };
    return { id: givenId ?? base.id, outputs: { ...base.outputs, ...(extra ?? {}) } };
}

function genericId(type: string, name: string, hex: string): string {
    if (type.startsWith("pulumi:providers:")) {
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    }
    return `${name}-${hex.slice(0, 8)}`;
}
