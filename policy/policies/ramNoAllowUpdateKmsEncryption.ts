// No custom RAM policy may allow cs:UpdateKMSEncryption, except allow-listed break-glass policies;
// a document the pack cannot read unambiguously is a violation too (fail closed). Every resource
// type that carries a permission policy document is checked (survey: ram/policySources.ts).
import { ResourceValidationPolicy } from "@pulumi/policy";
import { breakGlassPolicyNamesSchema, configList } from "../config";
import { ramActionMatches, resourceTypes, updateKmsEncryptionAction } from "../facts";
import { isUnreadable, RamStatement, statementAllows } from "../ram/documents";
import { documentsOf, policyResourceName } from "../ram/policySources";
import { reportUncheckedInPreview } from "../notices";

/** How messages name a resource that carries a document. */
const labels: Record<string, string> = {
    [resourceTypes.ramPolicy]: "RAM policy",
    [resourceTypes.resourceManagerPolicy]: "RAM policy",
    [resourceTypes.resourceManagerPolicyVersion]: "RAM policy version",
    [resourceTypes.cloudSsoAccessConfiguration]: "access configuration",
};

/** At most this many problems are named in a message (messages stay short). */
const maxProblems = 5;

function how(granting: RamStatement[]): string {
    return granting
        .map((s) =>
            s.actions
                ? `Action ${s.actions
                      .filter((p) => ramActionMatches(p, updateKmsEncryptionAction))
                      .map((p) => JSON.stringify(p))
                      .join(", ")}`
                : `NotAction ${JSON.stringify(s.notActions)} does not exclude it`,
        )
        .join("; ");
}

export const ramNoAllowUpdateKmsEncryption: ResourceValidationPolicy = {
    name: "ram-no-allow-update-kms-encryption",
    description:
        "No custom RAM policy may allow cs:UpdateKMSEncryption, by name, wildcard or NotAction, unless it is an allow-listed break-glass policy; a policy document the pack cannot read is rejected.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { breakGlassPolicyNames: breakGlassPolicyNamesSchema },
    },
    validateResource: (args, reportViolation) => {
        const props = args.props as Record<string, unknown>;
        const documents = documentsOf(args.type, props);
        if (!documents) {
            return;
        }
        const breakGlass = configList(args.getConfig(), "breakGlassPolicyNames");
        const policy = `${labels[args.type]} ${args.name}`;
        const name = policyResourceName(args.type, props);
        if (name.known && name.value && breakGlass.includes(name.value)) {
            return;
        }
        if (!documents.known) {
            reportUncheckedInPreview(reportViolation, "the policy documents", policy);
            return;
        }
        const several = documents.value.length > 1;
        for (const { where, document } of documents.value) {
            const what = several ? `the policy document of ${where}` : "the policy document";
            if (!document.known) {
                reportUncheckedInPreview(reportViolation, what, policy);
                continue;
            }
            if (isUnreadable(document.value)) {
                const problems = document.value.problems;
                const listed = problems.slice(0, maxProblems).join("; ");
                const more =
                    problems.length > maxProblems ? `; ${problems.length - maxProblems} more` : "";
                reportViolation(
                    `Rewrite ${what} so it can be read unambiguously (${listed}${more}): the pack does not pass what it cannot read.`,
                );
                continue;
            }
            const granting = document.value.filter((s) =>
                statementAllows(s, updateKmsEncryptionAction),
            );
            if (granting.length === 0) {
                continue;
            }
            if (!name.known && breakGlass.length > 0) {
                // Whether it is an allow-listed break-glass policy is known only on update.
                reportUncheckedInPreview(reportViolation, "the policy name", policy);
                continue;
            }
            const statements = several
                ? `${where}'s Allow statements`
                : "the policy's Allow statements";
            reportViolation(
                `Remove ${updateKmsEncryptionAction} from ${statements} (${how(granting)}), or list the policy in breakGlassPolicyNames.`,
            );
        }
    },
};
