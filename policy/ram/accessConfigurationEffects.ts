// What CloudSSO access configurations grant their users in member accounts, who are out of reach of
// RAM attachments.
import { PolicyResource } from "@pulumi/policy";
import { resourceTypes, systemPoliciesGrantingUpdateKmsEncryption } from "../facts";
import { readPlain, readString } from "../known";
import { AttachmentEffect } from "./attachmentEffects";
import { CustomEffect, documentsDenyCluster, documentsDenySome } from "./customPolicyEffect";
import {
    denyScope,
    DenyScope,
    isUnreadable,
    parsePolicyDocument,
    statementAllows,
} from "./documents";
import { propertyDependenciesOf } from "./propertyDependencies";

/**
 * What each CloudSSO access configuration grants its users in member accounts: its System policies
 * (AdministratorAccess...) and inline documents; the only Deny those users can get is an inline one
 * of the same configuration. Its principal is `accessConfiguration:<name>`.
 */
export function accessConfigurationEffects(
    resources: PolicyResource[],
    action: string,
    options: { breakGlassPolicyNames: string[] },
): AttachmentEffect[] {
    const effects: AttachmentEffect[] = [];
    for (const config of resources) {
        if (config.type !== resourceTypes.cloudSsoAccessConfiguration) {
            continue;
        }
        const name = readString(config.props, "accessConfigurationName");
        const principal = {
            key: `accessConfiguration:${name.known && name.value ? name.value : config.urn}`,
            known: name.known,
        };
        const list = readPlain(config.props, "permissionPolicies");
        if (!list.known) {
            effects.push({
                attachment: config,
                principal: principal.key,
                principalKnown: principal.known,
                policyName: undefined,
                grants: "unknown",
                deniesCluster: () => "unknown",
                deniesSome: "unknown",
            });
            continue;
        }
        const granting: string[] = [];
        const inline: CustomEffect[] = [];
        const dependsOn = new Set(
            propertyDependenciesOf(config, "permissionPolicies").map((d) => d.urn),
        );
        for (const item of Array.isArray(list.value) ? list.value : []) {
            const p = (item ?? {}) as Record<string, unknown>;
            const policyName =
                typeof p.permissionPolicyName === "string" ? p.permissionPolicyName : "";
            if (options.breakGlassPolicyNames.includes(policyName)) {
                continue;
            }
            const document = p.permissionPolicyDocument;
            if (document === undefined || document === null) {
                // A System policy, or (fail closed) a policy of a type the pack cannot read.
                const harmlessSystemPolicy =
                    p.permissionPolicyType === "System" &&
                    !(systemPoliciesGrantingUpdateKmsEncryption as readonly string[]).some(
                        (s) => s.toLowerCase() === policyName.trim().toLowerCase(),
                    );
                if (!harmlessSystemPolicy) {
                    granting.push(policyName || "a permission policy");
                }
                continue;
            }
            const parsed = parsePolicyDocument(document);
            if (isUnreadable(parsed)) {
                continue;
            }
            if (parsed.some((s) => statementAllows(s, action))) {
                granting.push(policyName || "an inline policy");
            }
            inline.push({
                grants: "no",
                denies: {
                    known: true,
                    value: [
                        {
                            scopes: parsed
                                .map((s) => denyScope(s, action))
                                .filter((s): s is DenyScope => s !== undefined),
                            dependsOn,
                        },
                    ],
                },
            });
        }
        effects.push({
            attachment: config,
            principal: principal.key,
            principalKnown: principal.known,
            policyName: granting.length > 0 ? granting.join(", ") : undefined,
            grants: granting.length > 0 ? "yes" : "no",
            deniesCluster: (target) =>
                inline.some((e) => documentsDenyCluster(e, target) === "yes") ? "yes" : "no",
            deniesSome: inline.some((e) => documentsDenySome(e) === "yes") ? "yes" : "no",
        });
    }
    return effects;
}
