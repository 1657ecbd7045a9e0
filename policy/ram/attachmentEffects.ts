// Which principals of a stack hold, or are denied, a RAM action through their policy attachments
// (the resource types are surveyed in policySources.ts). An attachment names its policy by name and
// type (System or Custom); a custom policy is found in the stack through `propertyDependencies` of
// `policyName` (preview) or by name.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes, systemPoliciesGrantingUpdateKmsEncryption } from "../facts";
import { Known, readString } from "../known";
import { attachmentScope, withinScope } from "./attachmentScope";
import { ClusterTarget } from "./clusterTarget";
import {
    CustomEffect,
    documentsDenyCluster,
    documentsDenySome,
    effectOfDocuments,
} from "./customPolicyEffect";
import { customPolicyTypes, policyResourceName } from "./policySources";
import { isPolicyAttachment, principalOf } from "./principals";
import { propertyDependenciesOf } from "./propertyDependencies";
import { and, TriState } from "./triState";

export interface AttachmentEffect {
    attachment: PolicyResource;
    /** `user:<name>`, `role:<name>`, `group:<name>`, or `<kind>:<urn>` of the principal resource while its name is unknown */
    principal: string;
    /** false when the principal cannot be told apart during preview (its name comes from elsewhere) */
    principalKnown: boolean;
    policyName: string | undefined;
    grants: TriState;
    /** Whether the attached policy denies the action on this cluster. */
    deniesCluster: (target: ClusterTarget) => TriState;
    /** Whether the attached policy denies the action on some ACK clusters (for stacks without one). */
    deniesSome: TriState;
    /**
     * The custom policies (and versions) of the stack the attachment attaches, for checks whose
     * Deny targets other resources than clusters (keys: ram-deny-key-destruction-attached).
     */
    linkedPolicies?: PolicyResource[];
    /** Whether its policy is, by name, one of `denyPolicyNames`; unknown while the name is. */
    deniesByName?: TriState;
    /** The attachment's Resource Manager scope: undefined for the account, or a resource group. */
    scope?: Known<string | undefined>;
}

/** Grants and denies of the attachments in the stack for `action`. */
export function attachmentEffects(
    resources: PolicyResource[],
    action: string,
    options: {
        breakGlassPolicyNames: string[];
        denyPolicyNames: string[];
        /** System policies that grant the action; defaults to those granting cs:UpdateKMSEncryption. */
        systemPoliciesGranting?: readonly string[];
    },
): AttachmentEffect[] {
    const systemGranting =
        options.systemPoliciesGranting ?? systemPoliciesGrantingUpdateKmsEncryption;
    const customPolicies = new Set(resources.filter((r) => customPolicyTypes.includes(r.type)));
    const nameOf = (policy: PolicyResource) => policyResourceName(policy.type, policy.props);
    const policiesByName = new Map<string, PolicyResource[]>();
    for (const policy of customPolicies) {
        const policyName = nameOf(policy);
        if (policyName.known && policyName.value) {
            policiesByName.set(policyName.value, [
                ...(policiesByName.get(policyName.value) ?? []),
                policy,
            ]);
        }
    }
    // The versions of a Resource Manager policy linked in preview through their policyName.
    const versionsOf = new Map<PolicyResource, PolicyResource[]>();
    for (const version of customPolicies) {
        if (version.type !== resourceTypes.resourceManagerPolicyVersion) {
            continue;
        }
        for (const policy of propertyDependenciesOf(version, "policyName")) {
            versionsOf.set(policy, [...(versionsOf.get(policy) ?? []), version]);
        }
    }

    const effects: AttachmentEffect[] = [];
    for (const attachment of resources) {
        if (!isPolicyAttachment(attachment)) {
            continue;
        }
        const principal = principalOf(attachment);
        if (!principal) {
            continue;
        }
        const policyType = readString(attachment.props, "policyType");
        const policyName = readString(attachment.props, "policyName");
        const name = policyName.known ? policyName.value : undefined;
        let grants: TriState = "no";
        let custom: CustomEffect | undefined;
        let linkedPolicies: PolicyResource[] = [];
        let deniesByName: TriState = "no";
        if (!policyType.known) {
            grants = "unknown";
            deniesByName = "unknown";
        } else if (policyType.value !== "System" && policyType.value !== "Custom") {
            // Fail closed: a policyType the pack cannot read ("system ", "SYSTEM", none) may
            // attach a system policy that grants everything; it is taken as a grant, no Deny.
            grants = "yes";
        } else if (policyType.value === "System") {
            if (!policyName.known) {
                grants = "unknown";
            } else if (
                (systemGranting as readonly string[]).some(
                    (p) => p.toLowerCase() === (name ?? "").trim().toLowerCase(),
                )
            ) {
                grants = "yes";
            }
        } else {
            const linked = new Set(
                propertyDependenciesOf(attachment, "policyName").filter((d) =>
                    customPolicies.has(d),
                ),
            );
            if (name) {
                (policiesByName.get(name) ?? []).forEach((p) => linked.add(p));
            }
            for (const policy of [...linked]) {
                (versionsOf.get(policy) ?? []).forEach((v) => linked.add(v));
            }
            // A break-glass policy linked in preview, while the attachment's policyName is unknown.
            const linkedBefore = linked.size;
            for (const policy of linked) {
                const linkedName = nameOf(policy);
                if (
                    linkedName.known &&
                    linkedName.value &&
                    options.breakGlassPolicyNames.includes(linkedName.value)
                ) {
                    linked.delete(policy);
                }
            }
            const linkedToBreakGlass = linkedBefore > 0 && linked.size === 0;
            if (linked.size > 0) {
                linkedPolicies = [...linked];
                custom = effectOfDocuments([...linked], action);
                grants = custom.grants;
            } else if (linkedToBreakGlass) {
                // Its policy is known, and allow-listed: what it grants does not count.
                grants = "no";
            } else if (!policyName.known) {
                grants = "unknown";
                deniesByName = "unknown";
            } else if (name && options.denyPolicyNames.includes(name)) {
                deniesByName = "yes";
            }
        }
        if (name && options.breakGlassPolicyNames.includes(name)) {
            grants = "no";
        }
        const scope = attachmentScope(attachment);
        const found = custom;
        effects.push({
            attachment,
            principal: principal.key,
            principalKnown: principal.known,
            policyName: name,
            grants,
            deniesCluster: (target) =>
                and(
                    withinScope(scope, target),
                    found ? documentsDenyCluster(found, target) : deniesByName,
                ),
            deniesSome: found ? documentsDenySome(found) : deniesByName,
            linkedPolicies,
            deniesByName,
            scope,
        });
    }
    return effects;
}
