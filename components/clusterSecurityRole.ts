import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import * as facts from "../policy/facts";
import {
    argNames,
    argsProblems,
    checkInput,
    invalid,
    isKnown,
    plainValueProblem,
    textProblem,
    throwProblems,
} from "./validation";

export type ClusterSecurityRoleMode = "create" | "existing";

export interface ClusterSecurityRoleArgs {
    /**
     * `create` makes the RAM role `AliyunCSManagedSecurityRole` (trusted by `cs.aliyuncs.com`) and
     * attaches the system policy `AliyunCSManagedSecurityRolePolicy`; the role is account-wide,
     * so both are kept (`retainOnDelete`) when the stack is destroyed. `existing` only looks the
     * role and its policy up and fails the preview when they are missing; use it when the account
     * already has the role (the ACK console's authorization, or another stack). Plain value.
     * Defaults to `create`.
     */
    mode?: ClusterSecurityRoleMode;
    /**
     * Description of the created role, 1 to 1,024 characters (mode `create` only). Defaults to a
     * sentence saying why ACK needs it.
     */
    description?: pulumi.Input<string>;
}

const modes: readonly ClusterSecurityRoleMode[] = ["create", "existing"];

/** The names ClusterSecurityRoleArgs takes; anything else is refused. */
export const clusterSecurityRoleArgNames = argNames<ClusterSecurityRoleArgs>({
    mode: true,
    description: true,
});

/** RAM CreateRole: a role description has at most 1,024 characters. */
export const maxRoleDescriptionLength = 1024;

function roleDescriptionProblem(value: unknown): string | undefined {
    return textProblem(
        "description",
        value,
        maxRoleDescriptionLength,
        "omit description for the default",
    );
}

/** The problems with the plain args of a ClusterSecurityRole, all at once. */
export function validateSecurityRoleArgs(args: ClusterSecurityRoleArgs): string[] {
    return argsProblems<ClusterSecurityRoleArgs>(
        "ClusterSecurityRole",
        args,
        clusterSecurityRoleArgNames,
        (a) => [
            a.mode === undefined || modes.includes(a.mode)
                ? undefined
                : (plainValueProblem("mode", a.mode, '"create" or "existing"') ??
                  invalid("mode", a.mode, 'is not valid: use "create" or "existing".')),
            a.mode === "existing" && a.description !== undefined
                ? '[description] is not allowed with mode "existing": the role is only looked up, not created; remove description.'
                : isKnown(a.description)
                  ? roleDescriptionProblem(a.description)
                  : undefined,
        ],
    );
}

/** The mode valid args ask for. */
export function securityRoleMode(args: ClusterSecurityRoleArgs): ClusterSecurityRoleMode {
    return args.mode ?? "create";
}

/** The message for an account that lacks the role ACK needs to reach KMS. */
export function missingRoleMessage(): string {
    return (
        `[mode] "existing": RAM role ${facts.securityRoleName} does not exist in this account, so ACK ` +
        "cannot call KMS (MissingAuth.AliyuncsManagedSecurityRole). Create it once per account: in " +
        "the ACK console, turn on Secret Encryption for any cluster, click Go to RAM console and " +
        'then Confirm Authorization Policy; or use ClusterSecurityRole mode "create".'
    );
}

/** The message for a role that exists without the system policy ACK needs. */
export function missingPolicyMessage(): string {
    return (
        `[mode] "existing": RAM role ${facts.securityRoleName} exists but the system policy ` +
        `${facts.securityRolePolicyName} is not attached to it. Attach it in the RAM console ` +
        "(Roles, Grant Permission) or confirm ACK's authorization again in the ACK console."
    );
}

/**
 * The RAM role ACK assumes to call KMS for the API server (`AliyunCSManagedSecurityRole`). Without
 * it, creating a cluster with Secret encryption fails with `MissingAuth.AliyuncsManagedSecurityRole`.
 */
export class ClusterSecurityRole extends pulumi.ComponentResource {
    static readonly __pulumiType = "ack-kms:index:ClusterSecurityRole";

    /** `AliyunCSManagedSecurityRole`, once the role (and its policy) exist. */
    public readonly roleName: pulumi.Output<string>;
    /** The role's ARN. */
    public readonly roleArn: pulumi.Output<string>;
    /** The mode the component ran in. */
    public readonly mode: ClusterSecurityRoleMode;
    /** The created role (mode `create` only). */
    public readonly role?: alicloud.ram.Role;
    /** The created policy attachment (mode `create` only). */
    public readonly policyAttachment?: alicloud.ram.RolePolicyAttachment;

    constructor(
        name: string,
        args: ClusterSecurityRoleArgs = {},
        opts?: pulumi.ComponentResourceOptions,
    ) {
        throwProblems(validateSecurityRoleArgs(args));
        const mode = securityRoleMode(args);
        super(ClusterSecurityRole.__pulumiType, name, {}, opts);
        this.mode = mode;

        if (mode === "create") {
            // Account-wide: other clusters and stacks rely on it, so destroying this stack keeps it.
            this.role = new alicloud.ram.Role(
                `${name}-role`,
                {
                    roleName: facts.securityRoleName,
                    assumeRolePolicyDocument: JSON.stringify(facts.securityRoleTrustPolicy),
                    description:
                        args.description === undefined
                            ? "ACK assumes this role to call KMS for Kubernetes Secret encryption."
                            : checkInput(args.description, roleDescriptionProblem, this),
                },
                { parent: this, retainOnDelete: true },
            );
            this.policyAttachment = new alicloud.ram.RolePolicyAttachment(
                `${name}-policy`,
                {
                    roleName: this.role.roleName,
                    policyName: facts.securityRolePolicyName,
                    policyType: "System",
                },
                { parent: this, retainOnDelete: true },
            );
            this.roleName = this.role.roleName;
            this.roleArn = this.role.arn;
        } else {
            const roles = alicloud.ram.getRolesOutput(
                { nameRegex: `^${facts.securityRoleName}$` },
                { parent: this },
            );
            const attachments = alicloud.ram.getRolePolicyAttachmentsOutput(
                { roleName: facts.securityRoleName },
                { parent: this },
            );
            const found = pulumi.all([roles, attachments]).apply(([roleResult, attachResult]) => {
                const role = (roleResult.roles ?? []).find(
                    (r) => r.name === facts.securityRoleName,
                );
                if (!role) {
                    throw new pulumi.ResourceError(missingRoleMessage(), this);
                }
                const attached = (attachResult.attachments ?? []).some(
                    (a) =>
                        a.policyName === facts.securityRolePolicyName && a.policyType === "System",
                );
                if (!attached) {
                    throw new pulumi.ResourceError(missingPolicyMessage(), this);
                }
                return { name: role.name, arn: role.arn };
            });
            this.roleName = found.name;
            this.roleArn = found.arn;
        }
        this.registerOutputs({ roleName: this.roleName, roleArn: this.roleArn });
    }
}
