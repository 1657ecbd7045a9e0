// Explicit Deny wins in RAM: a stack with an encrypted cluster should attach a Deny of
// cs:UpdateKMSEncryption that applies to each of its clusters, and every principal it grants the
// action to should also get the Deny, directly or through a group it is a member of. A Deny with a
// Condition or NotResource, or scoped to other clusters, does not count.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ClusterBinding, encryptedClusterBindings } from "../bindings";
import {
    breakGlassPolicyNamesSchema,
    breakGlassPrincipalsSchema,
    configList,
    denyPolicyNamesSchema,
} from "../config";
import { updateKmsEncryptionAction } from "../facts";
import { readString } from "../known";
import { reportUncheckedInPreview } from "../notices";
import { accessConfigurationEffects } from "../ram/accessConfigurationEffects";
import { AttachmentEffect, attachmentEffects } from "../ram/attachmentEffects";
import { ClusterTarget } from "../ram/clusterTarget";
import { groupMemberships } from "../ram/groupMemberships";
import { TriState } from "../ram/triState";

function targetOf(binding: ClusterBinding): ClusterTarget {
    const clusterId =
        binding.kind === "existing" ? readString(binding.cluster.props, "clusterId") : undefined;
    return {
        urn: binding.cluster.urn,
        clusterId: clusterId?.known ? clusterId.value : undefined,
        regionId: binding.region.known ? binding.region.value : undefined,
        resourceGroupId:
            binding.kind === "existing"
                ? { known: true, value: undefined }
                : readString(binding.cluster.props, "resourceGroupId"),
    };
}

function any(states: TriState[]): TriState {
    if (states.includes("yes")) {
        return "yes";
    }
    return states.includes("unknown") ? "unknown" : "no";
}

function all(states: TriState[]): TriState {
    if (states.includes("no")) {
        return "no";
    }
    return states.includes("unknown") ? "unknown" : "yes";
}

export const ramDenyUpdateKmsEncryptionAttached: StackValidationPolicy = {
    name: "ram-deny-update-kms-encryption-attached",
    description:
        "A stack with an encrypted ACK cluster attaches a RAM Deny of cs:UpdateKMSEncryption to every principal it grants that action to, and to at least one principal.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            breakGlassPrincipals: breakGlassPrincipalsSchema,
            breakGlassPolicyNames: breakGlassPolicyNamesSchema,
            denyPolicyNames: denyPolicyNamesSchema,
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Record<string, unknown>>();
        // The engine gives AnalyzeStack its resources in no set order (it ranges over a concurrent
        // map), and this policy reports the first cluster it finds: sort, so every run agrees.
        const resources = [...args.resources].sort((a, b) =>
            a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0,
        );
        const breakGlassPrincipals = configList(config, "breakGlassPrincipals");
        const breakGlassPolicyNames = configList(config, "breakGlassPolicyNames");
        const effects = [
            ...attachmentEffects(resources, updateKmsEncryptionAction, {
                breakGlassPolicyNames,
                denyPolicyNames: configList(config, "denyPolicyNames"),
            }),
            ...accessConfigurationEffects(resources, updateKmsEncryptionAction, {
                breakGlassPolicyNames,
            }),
        ];
        // Clusters of the stack, and external ones an ExistingClusterEncryption encrypts.
        const encrypted = encryptedClusterBindings(resources);
        const targets = encrypted.map(targetOf);
        // Whether these attachments together deny the action on every encrypted cluster.
        const deny = (list: AttachmentEffect[]): TriState =>
            targets.length === 0
                ? any(list.map((e) => e.deniesSome))
                : all(targets.map((t) => any(list.map((e) => e.deniesCluster(t)))));

        const unchecked = (what: string, resource: PolicyResource, label = "attachment") =>
            reportUncheckedInPreview(
                reportViolation,
                what,
                `${label} ${resource.name}`,
                resource.urn,
            );
        const principals = new Map<string, AttachmentEffect[]>();
        for (const effect of effects) {
            if (!effect.principalKnown) {
                // Who it is is known only on update; it matters when it may be granted the action.
                if (effect.grants !== "no" && deny([effect]) !== "yes") {
                    unchecked("the principal", effect.attachment);
                }
                continue;
            }
            principals.set(effect.principal, [...(principals.get(effect.principal) ?? []), effect]);
        }
        const memberships = groupMemberships(resources);
        for (const [principal, own] of principals) {
            if (breakGlassPrincipals.includes(principal)) {
                continue;
            }
            // A user gets the Deny of the groups it is a member of.
            const inherited = [...(memberships.groupsOf.get(principal) ?? [])].flatMap(
                (group) => principals.get(group) ?? [],
            );
            const denied = deny([...own, ...inherited]);
            if (denied === "yes") {
                continue;
            }
            const granting = own.filter((e) => e.grants === "yes");
            const grantUnknown = own.find((e) => e.grants === "unknown");
            if (granting.length === 0) {
                if (grantUnknown) {
                    unchecked("the policy", grantUnknown.attachment);
                }
                continue;
            }
            if (denied === "unknown") {
                const undecided = [...own, ...inherited].find((e) => deny([e]) === "unknown");
                unchecked("the policy", (undecided ?? granting[0]).attachment);
                continue;
            }
            if (principal.startsWith("user:") && memberships.unresolved.length > 0) {
                // It may be a member of a group with the Deny; known only on update.
                unchecked("the members", memberships.unresolved[0], "group membership");
                continue;
            }
            const through = granting.map((e) => e.policyName ?? e.attachment.name).join(", ");
            reportViolation(
                `Attach a policy that denies ${updateKmsEncryptionAction} to ${principal}, which ${through} grants it, or list it in breakGlassPrincipals.`,
                granting[0].attachment.urn,
            );
        }

        // One finding per stack: the first encrypted cluster no attached Deny applies to.
        let undecided: AttachmentEffect | undefined;
        for (const [i, binding] of encrypted.entries()) {
            const states = effects.map((e) => e.deniesCluster(targets[i]));
            if (states.includes("yes")) {
                continue;
            }
            const unknownAt = states.indexOf("unknown");
            if (unknownAt >= 0) {
                undecided = undecided ?? effects[unknownAt];
                continue;
            }
            reportViolation(
                `Attach a RAM policy that denies ${updateKmsEncryptionAction} to the users, roles or groups that manage this cluster (DenyKmsEncryptionUpdates does it).`,
                binding.cluster.urn,
            );
            return;
        }
        if (undecided) {
            unchecked("the policy", undecided.attachment);
        }
    },
};
