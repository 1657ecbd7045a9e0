// No custom RAM policy may allow cs:UpdateKMSEncryption, except allow-listed break-glass policies.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { breakGlassPolicyNamesSchema, configList } from "../config";
import { ramActionMatches, resourceTypes, updateKmsEncryptionAction } from "../facts";
import {
    isUnreadable,
    policyResourceName,
    statementAllows,
    statementsOfPolicyResource,
} from "../ramDocuments";
import { reportUncheckedInPreview } from "../notices";

const policyTypes: string[] = [resourceTypes.ramPolicy, resourceTypes.resourceManagerPolicy];

export const ramNoAllowUpdateKmsEncryption: ResourceValidationPolicy = {
    name: "ram-no-allow-update-kms-encryption",
    description:
        "No custom RAM policy may allow cs:UpdateKMSEncryption, by name, wildcard or NotAction, unless it is an allow-listed break-glass policy.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { breakGlassPolicyNames: breakGlassPolicyNamesSchema },
    },
    validateResource: (args, reportViolation) => {
        if (!policyTypes.includes(args.type)) {
            return;
        }
        const props = args.props as Record<string, unknown>;
        const breakGlass = configList(args.getConfig(), "breakGlassPolicyNames");
        const policy = `RAM policy ${args.name}`;
        const name = policyResourceName(props);
        if (name.known && name.value && breakGlass.includes(name.value)) {
            return;
        }
        const statements = statementsOfPolicyResource(props);
        if (!statements.known) {
            reportUncheckedInPreview(reportViolation, "the policy document", policy);
            return;
        }
        if (isUnreadable(statements.value)) {
            return;
        }
        const granting = statements.value.filter((s) =>
            statementAllows(s, updateKmsEncryptionAction),
        );
        if (granting.length === 0) {
            return;
        }
        if (!name.known && breakGlass.length > 0) {
            // Whether it is an allow-listed break-glass policy is known only on update.
            reportUncheckedInPreview(reportViolation, "the policy name", policy);
            return;
        }
        const how = granting
            .map((s) =>
                s.actions
                    ? `Action ${s.actions
                          .filter((p) => ramActionMatches(p, updateKmsEncryptionAction))
                          .map((p) => JSON.stringify(p))
                          .join(", ")}`
                    : `NotAction ${JSON.stringify(s.notActions)} does not exclude it`,
            )
            .join("; ");
        reportViolation(
            `Remove ${updateKmsEncryptionAction} from the policy's Allow statements (${how}), or list the policy in breakGlassPolicyNames.`,
        );
    },
};
