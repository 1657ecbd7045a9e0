// A bound key that is disabled, deleted, unprotected or re-policied takes its cluster's Secrets with
// it: every principal of the stack granted one of those actions (by name or wildcard, e.g.
// AliyunKMSFullAccess) should also hold a Deny of it that covers the key, directly or through a
// group. Denies are read by policy/keyDestruction.ts; a Deny with a Condition does not count.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { boundKeyPairs } from "../bindings";
import {
    breakGlassPolicyNamesSchema,
    breakGlassPrincipalsSchema,
    configList,
    denyPolicyNamesSchema,
} from "../config";
import { keyDestructionActions, systemPoliciesGrantingKeyDestruction } from "../facts";
import { keyDestructionVerdictOf } from "../keyDestruction";
import { readString } from "../known";
import { reportUncheckedInPreview } from "../notices";
import { AttachmentEffect, attachmentEffects } from "../ram/attachmentEffects";
import { liveDocumentsOf } from "../ram/customPolicyEffect";
import { groupMemberships } from "../ram/groupMemberships";
import { TriState } from "../ram/triState";

/** Whether the attachment's policy surely denies `action` on the key. */
function deniesOnKey(effect: AttachmentEffect, action: string, arn: string | undefined): TriState {
    if (effect.scope && !effect.scope.known) {
        return "unknown";
    }
    if (effect.scope?.known && effect.scope.value !== undefined) {
        return "no"; // scoped to a resource group: the key may be outside it
    }
    const linked = effect.linkedPolicies ?? [];
    if (linked.length === 0) {
        return effect.deniesByName ?? "no";
    }
    const { sources, unseenLive } = liveDocumentsOf(linked);
    if (unseenLive === "yes") {
        return "no"; // the live document is a version the stack does not hold
    }
    let state: TriState = unseenLive === "unknown" ? "unknown" : "yes";
    for (const { documents } of sources) {
        if (!documents || !documents.known) {
            return "unknown";
        }
        for (const { document } of documents.value) {
            if (!document.known) {
                return "unknown";
            }
            const verdict = keyDestructionVerdictOf(document.value, arn);
            if (verdict.verdict === "read" && verdict.denies.includes(action)) {
                continue;
            }
            // With the ARN unknown, whether a Deny naming keys, or a NotResource, covers it waits.
            if (verdict.verdict === "read" && verdict.undecided?.includes(action)) {
                state = "unknown";
                continue;
            }
            return "no";
        }
    }
    return state;
}

function any(states: TriState[]): TriState {
    return states.includes("yes") ? "yes" : states.includes("unknown") ? "unknown" : "no";
}

export const ramDenyKeyDestructionAttached: StackValidationPolicy = {
    name: "ram-deny-key-destruction-attached",
    description: `Every principal a stack with a bound KMS key grants ${keyDestructionActions.join(", ")} also has a RAM Deny of them covering that key.`,
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            breakGlassPrincipals: {
                ...breakGlassPrincipalsSchema,
                description:
                    'Principals allowed to hold the key-destroying KMS actions without a Deny, as "user:<name>", "role:<name>" or "group:<name>".',
            },
            breakGlassPolicyNames: breakGlassPolicyNamesSchema,
            denyPolicyNames: denyPolicyNamesSchema,
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Record<string, unknown>>();
        const resources = [...args.resources].sort((a, b) =>
            a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0,
        );
        const breakGlassPrincipals = configList(config, "breakGlassPrincipals");
        const options = {
            breakGlassPolicyNames: configList(config, "breakGlassPolicyNames"),
            denyPolicyNames: configList(config, "denyPolicyNames"),
            systemPoliciesGranting: systemPoliciesGrantingKeyDestruction,
        };
        const keys = new Map<string, { key: PolicyResource; cluster: string }>();
        for (const { binding, key } of boundKeyPairs(resources)) {
            if (!keys.has(key.urn)) {
                keys.set(key.urn, { key, cluster: binding.clusterLabel });
            }
        }
        if (keys.size === 0) {
            return;
        }
        const memberships = groupMemberships(resources);
        // Per action, once per stack: the attachments by principal, and those whose principal is
        // unknown. A key's check below then only reads them (a stack of 1,000 clusters whose
        // Denies all go to one group took 7 of 9 s of the pack rebuilding these per key).
        const byAction = keyDestructionActions.map((action) => {
            const byPrincipal = new Map<string, AttachmentEffect[]>();
            const unknownPrincipal: AttachmentEffect[] = [];
            for (const effect of attachmentEffects(resources, action, options)) {
                if (!effect.principalKnown) {
                    if (effect.grants !== "no") unknownPrincipal.push(effect);
                    continue;
                }
                const list = byPrincipal.get(effect.principal);
                if (list) list.push(effect);
                else byPrincipal.set(effect.principal, [effect]);
            }
            return { action, byPrincipal, unknownPrincipal };
        });
        // deniesOnKey depends only on the attachment, the action and the key's ARN (in preview
        // unknown for every key): each is judged once.
        const judged = new Map<AttachmentEffect, Map<string, TriState>>();
        const denies = (effect: AttachmentEffect, action: string, arn: string | undefined) => {
            let byKey = judged.get(effect);
            if (!byKey) judged.set(effect, (byKey = new Map()));
            const key = `${action}\u0000${arn ?? ""}`;
            let state = byKey.get(key);
            if (state === undefined) byKey.set(key, (state = deniesOnKey(effect, action, arn)));
            return state;
        };
        const unchecked = (what: string, resource: PolicyResource, label = "attachment") =>
            reportUncheckedInPreview(
                reportViolation,
                what,
                `${label} ${resource.name}`,
                resource.urn,
            );

        for (const { key, cluster } of keys.values()) {
            const arnRead = readString(key.props, "arn");
            const arn = arnRead.known && arnRead.value ? arnRead.value : undefined;
            // principal -> actions granted and not denied, with the attachments that grant them
            const exposed = new Map<string, { actions: string[]; granting: AttachmentEffect[] }>();
            for (const { action, byPrincipal, unknownPrincipal } of byAction) {
                for (const effect of unknownPrincipal) {
                    unchecked("the principal", effect.attachment);
                }
                for (const [principal, own] of byPrincipal) {
                    if (breakGlassPrincipals.includes(principal)) {
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
                    const inherited = [...(memberships.groupsOf.get(principal) ?? [])].flatMap(
                        (group) => byPrincipal.get(group) ?? [],
                    );
                    const all = [...own, ...inherited];
                    const denied = any(all.map((e) => denies(e, action, arn)));
                    if (denied === "yes") {
                        continue;
                    }
                    if (denied === "unknown") {
                        const undecided = all.find((e) => denies(e, action, arn) === "unknown");
                        unchecked("the policy", (undecided ?? granting[0]).attachment);
                        continue;
                    }
                    if (principal.startsWith("user:") && memberships.unresolved.length > 0) {
                        unchecked("the members", memberships.unresolved[0], "group membership");
                        continue;
                    }
                    const entry = exposed.get(principal) ?? { actions: [], granting: [] };
                    entry.actions.push(action);
                    entry.granting.push(...granting.filter((g) => !entry.granting.includes(g)));
                    exposed.set(principal, entry);
                }
            }
            for (const [principal, { actions, granting }] of exposed) {
                const through = [
                    ...new Set(granting.map((e) => e.policyName ?? e.attachment.name)),
                ];
                reportViolation(
                    `Attach a policy that denies ${actions.join(", ")} on the key of ${cluster} to ${principal}, which ${through.join(", ")} grants them (DenyKmsEncryptionUpdates with protectKeys does it), or list it in breakGlassPrincipals.`,
                    granting[0].attachment.urn,
                );
            }
        }
    },
};
