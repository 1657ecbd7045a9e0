// Where a stack can make a RAM Allow or Deny live, read as documents (unknown-safe).
//
// Survey of @pulumi/alicloud 3.108 (type declarations), every resource that carries a RAM policy
// document, a default version, an attachment or a group membership, and what each contributes:
//
// Permission policy documents
// - alicloud:ram/policy:Policy: `policyDocument` (deprecated: `document`, `statements`). Each
//   update makes the new document the default (live) version. Checked for Allows; its Deny counts
//   when it is attached.
// - alicloud:resourcemanager/policy:Policy: `policyDocument` (version v1), `defaultVersion` (which
//   version is live). Checked like ram/policy; its Deny does not count when `defaultVersion` names
//   another version and the stack holds none of its versions (unknown in preview: a notice).
// - alicloud:resourcemanager/policyVersion:PolicyVersion: `policyDocument` of a version of
//   `policyName`; `isDefaultVersion: true` makes any document the live one, and a non-default version
//   is one SetDefaultPolicyVersion call away. Every version is checked for Allows; a policy's Deny
//   counts only when each of its documents in the stack (policy and versions) denies.
// - alicloud:cloudsso/accessConfiguration:AccessConfiguration: `permissionPolicies[].
//   permissionPolicyDocument` (Inline), granted to CloudSSO users in member accounts. Checked for
//   Allows; its System policies (AdministratorAccess, AliyunCSFullAccess) are grants, and its users
//   can get a Deny only from an inline document of the same configuration
//   (accessConfigurationEffects.ts).
// Attachments (make a policy live for a principal): see attachmentEffects.ts
// - alicloud:ram/userPolicyAttachment:UserPolicyAttachment, .../rolePolicyAttachment:...,
//   .../groupPolicyAttachment:...: `policyName`, `policyType` (System | Custom), the principal.
// - alicloud:resourcemanager/policyAttachment:PolicyAttachment: `principalName` (`<name>@<domain>`),
//   `principalType` (IMSUser | IMSGroup | ServiceRole), `resourceGroupId` (a resource group, or the
//   account id for the whole account): a Deny scoped to a resource group counts only for a cluster
//   in that group.
// Group membership (a user gets the policies of its groups): ram/groupMembership:GroupMembership
//   (`groupName`, `userNames`), ram/userGroupAttachment:UserGroupAttachment (`groupName`, `userName`).
// Principals (named for linking in preview): ram/user, ram/role, ram/group, and
//   resourcemanager/role:Role (which creates a RAM role).
//
// Carry a policy but grant no cs: action, so not judged here
// - ram/role `assumeRolePolicyDocument`/`document`, resourcemanager/role `assumeRolePolicyDocument`:
//   trust policies (who may assume the role); the role's own attachments are judged.
// - ram/roleAttachment (a role for ECS instances), ims/oidcProvider, ram/samlProvider (federation
//   into roles): the roles are the principals judged.
// - resourcemanager/controlPolicy + controlPolicyAttachment: Resource Directory guardrails that only
//   limit, never grant; they target folders and accounts, not principals, so their Deny is not
//   counted as the attached Deny.
// - resourcemanager/serviceLinkedRole (system policies), ram/accessKeyPolicy (network rules of an
//   AccessKey), resource policies of other services (kms/key `policy`, oss bucket policies): ACK has
//   no resource policy on clusters.
import { resourceTypes } from "../facts";
import { Known, readPlain, readString, tryRead, unknown } from "../known";
import { parseLegacyStatements, parsePolicyDocument, ParsedDocument } from "./documents";

/** Resource types that carry a permission policy document. */
export const documentTypes: readonly string[] = [
    resourceTypes.ramPolicy,
    resourceTypes.resourceManagerPolicy,
    resourceTypes.resourceManagerPolicyVersion,
    resourceTypes.cloudSsoAccessConfiguration,
];

/** Resource types whose documents are custom policies attachments name (by policyName). */
export const customPolicyTypes: readonly string[] = [
    resourceTypes.ramPolicy,
    resourceTypes.resourceManagerPolicy,
    resourceTypes.resourceManagerPolicyVersion,
];

export interface DocumentOf {
    /** Where in the resource, for messages: "policyDocument", "permissionPolicies[0]". */
    where: string;
    document: Known<ParsedDocument>;
}

function present(props: Record<string, unknown>, key: string): Known<boolean> {
    return tryRead(() => key in props && props[key] !== undefined && props[key] !== null);
}

function documentAt(props: Record<string, unknown>, key: string): Known<ParsedDocument> {
    const value = readPlain(props, key);
    return value.known ? { known: true, value: parsePolicyDocument(value.value) } : unknown;
}

/** The document of a ram/policy or resourcemanager policy or version. */
function customPolicyDocument(props: Record<string, unknown>): DocumentOf {
    for (const key of ["policyDocument", "document"]) {
        const has = present(props, key);
        if (!has.known) {
            return { where: key, document: unknown };
        }
        if (has.value) {
            return { where: key, document: documentAt(props, key) };
        }
    }
    const legacy = readPlain(props, "statements");
    if (!legacy.known) {
        return { where: "statements", document: unknown };
    }
    if (legacy.value !== undefined && legacy.value !== null) {
        return {
            where: "statements",
            document: { known: true, value: parseLegacyStatements(legacy.value) },
        };
    }
    return {
        where: "policyDocument",
        document: { known: true, value: { problems: ["the policy has no document"] } },
    };
}

/** The inline documents of a CloudSSO access configuration. */
function accessConfigurationDocuments(props: Record<string, unknown>): Known<DocumentOf[]> {
    const list = readPlain(props, "permissionPolicies");
    if (!list.known) {
        return unknown;
    }
    if (list.value === undefined || list.value === null) {
        return { known: true, value: [] };
    }
    if (!Array.isArray(list.value)) {
        return {
            known: true,
            value: [
                {
                    where: "permissionPolicies",
                    document: {
                        known: true,
                        value: { problems: ["permissionPolicies is not a list"] },
                    },
                },
            ],
        };
    }
    const documents: DocumentOf[] = [];
    list.value.forEach((item: unknown, i: number) => {
        const p = (item ?? {}) as Record<string, unknown>;
        if (p.permissionPolicyDocument !== undefined && p.permissionPolicyDocument !== null) {
            documents.push({
                where: `permissionPolicies[${i}]`,
                document: { known: true, value: parsePolicyDocument(p.permissionPolicyDocument) },
            });
        } else if (
            typeof p.permissionPolicyType !== "string" ||
            p.permissionPolicyType !== "System"
        ) {
            documents.push({
                where: `permissionPolicies[${i}]`,
                document: {
                    known: true,
                    value: {
                        problems: [`permissionPolicies[${i}] is not System and has no document`],
                    },
                },
            });
        }
    });
    return { known: true, value: documents };
}

/** The permission policy documents a resource carries; undefined for a type that carries none. */
export function documentsOf(
    type: string,
    props: Record<string, unknown>,
): Known<DocumentOf[]> | undefined {
    if (type === resourceTypes.cloudSsoAccessConfiguration) {
        return accessConfigurationDocuments(props);
    }
    if (customPolicyTypes.includes(type)) {
        return { known: true, value: [customPolicyDocument(props)] };
    }
    return undefined;
}

/**
 * The name that break-glass lists and attachments use for a document resource: `policyName` (or
 * the deprecated `name`), the policy a version belongs to, an access configuration's name.
 */
export function policyResourceName(
    type: string,
    props: Record<string, unknown>,
): Known<string | undefined> {
    if (type === resourceTypes.cloudSsoAccessConfiguration) {
        return readString(props, "accessConfigurationName");
    }
    const name = readString(props, "policyName");
    if (!name.known || name.value || type !== resourceTypes.ramPolicy) {
        return name;
    }
    return readString(props, "name");
}
