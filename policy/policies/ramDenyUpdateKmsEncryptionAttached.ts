// Explicit Deny wins in RAM: a stack with an encrypted cluster should attach a Deny of
// cs:UpdateKMSEncryption, and every principal it grants the action to should also get the Deny.
import { StackValidationPolicy } from "@pulumi/policy";
import { encryptedClusterBindings } from "../bindings";
import {
    breakGlassPolicyNamesSchema,
    breakGlassPrincipalsSchema,
    configList,
    denyPolicyNamesSchema,
} from "../config";
import { updateKmsEncryptionAction } from "../facts";
import { reportUncheckedInPreview } from "../notices";
import { attachmentEffects } from "../ramAttachments";

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
        const breakGlassPrincipals = configList(config, "breakGlassPrincipals");
        const effects = attachmentEffects(args.resources, updateKmsEncryptionAction, {
            breakGlassPolicyNames: configList(config, "breakGlassPolicyNames"),
            denyPolicyNames: configList(config, "denyPolicyNames"),
        });

        const unchecked = (what: string, attachment: (typeof effects)[number]["attachment"]) =>
            reportUncheckedInPreview(
                reportViolation,
                what,
                `attachment ${attachment.name}`,
                attachment.urn,
            );
        const principals = new Map<string, typeof effects>();
        for (const effect of effects) {
            if (!effect.principalKnown) {
                // Who it is is known only on update; it matters when it may be granted the action.
                if (effect.grants !== "no" && effect.denies !== "yes") {
                    unchecked("the principal", effect.attachment);
                }
                continue;
            }
            principals.set(effect.principal, [...(principals.get(effect.principal) ?? []), effect]);
        }
        for (const [principal, list] of principals) {
            if (breakGlassPrincipals.includes(principal) || list.some((e) => e.denies === "yes")) {
                continue;
            }
            const granting = list.filter((e) => e.grants === "yes");
            const grantUnknown = list.find((e) => e.grants === "unknown");
            const denyUnknown = list.find((e) => e.denies === "unknown");
            if (denyUnknown) {
                if (granting.length > 0 || grantUnknown) {
                    unchecked("the policy", denyUnknown.attachment);
                }
                continue;
            }
            if (granting.length === 0) {
                if (grantUnknown) {
                    unchecked("the policy", grantUnknown.attachment);
                }
                continue;
            }
            const through = granting.map((e) => e.policyName ?? e.attachment.name).join(", ");
            reportViolation(
                `Attach a policy that denies ${updateKmsEncryptionAction} to ${principal}, which ${through} grants it, or list it in breakGlassPrincipals.`,
                granting[0].attachment.urn,
            );
        }

        // Clusters of the stack, and external ones an ExistingClusterEncryption encrypts.
        const encrypted = encryptedClusterBindings(args.resources);
        if (encrypted.length > 0 && !effects.some((e) => e.denies === "yes")) {
            const undecided = effects.find((e) => e.denies === "unknown");
            if (undecided) {
                unchecked("the policy", undecided.attachment);
            } else {
                reportViolation(
                    `Attach a RAM policy that denies ${updateKmsEncryptionAction} to the users, roles or groups that manage this cluster (DenyKmsEncryptionUpdates does it).`,
                    encrypted[0].cluster.urn,
                );
            }
        }
    },
};
