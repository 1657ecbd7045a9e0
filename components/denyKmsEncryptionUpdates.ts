// Over 400 lines as one unit: the component, its args, their checks and the policy they write.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import * as facts from "../policy/facts";
import { judgeKeyId } from "../policy/verdicts/keyId";
import {
    argNames,
    argsProblems,
    checkInput,
    invalid,
    isKnown,
    plainValueProblem,
    problemList,
    textProblem,
    throwProblems,
} from "./validation";

export interface DenyKmsEncryptionUpdatesArgs {
    /** RAM user names to attach the deny policy to. */
    users?: pulumi.Input<string>[];
    /** RAM role names to attach the deny policy to. */
    roles?: pulumi.Input<string>[];
    /**
     * RAM group names to attach the deny policy to. At least one user, role or group is required;
     * the lists are plain (their items may be Outputs), each name non-empty and listed once.
     */
    groups?: pulumi.Input<string>[];
    /**
     * ACK cluster ids the deny applies to (`acs:cs:*:*:cluster/<id>` each). Defaults to every
     * cluster (`*`).
     */
    clusterIds?: pulumi.Input<string>[];
    /**
     * Name of the custom RAM policy: 1 to 128 letters, digits and hyphens, unique in the account.
     * Plain value. Defaults to `deny-kms-encryption-updates-<stack>-<component name>` (invalid
     * characters become hyphens).
     */
    policyName?: string;
    /**
     * KMS key ids or ARNs the principals may not destroy: the policy also denies
     * `kms:DisableKey`, `kms:ScheduleKeyDeletion`, `kms:SetDeletionProtection` and `kms:SetKeyPolicy`
     * on each (`acs:kms:*:*:key/<id>` for an id). Never Encrypt, Decrypt or GenerateDataKey, which
     * ACK's service role needs. Defaults to none; `EncryptedCluster` passes its bound key.
     */
    protectKeys?: pulumi.Input<string>[];
    /** Policy description, 1 to 1,024 characters. Defaults to a sentence saying what it denies and why. */
    description?: pulumi.Input<string>;
}

/** The names DenyKmsEncryptionUpdatesArgs takes; anything else is refused. */
export const denyKmsEncryptionUpdatesArgNames = argNames<DenyKmsEncryptionUpdatesArgs>({
    users: true,
    roles: true,
    groups: true,
    clusterIds: true,
    policyName: true,
    protectKeys: true,
    description: true,
});

/** RAM CreatePolicy: a policy description has at most 1,024 characters. */
export const maxPolicyDescriptionLength = 1024;

function policyDescriptionProblem(value: unknown): string | undefined {
    return textProblem(
        "description",
        value,
        maxPolicyDescriptionLength,
        "omit description for the default",
    );
}

const principalKinds = ["users", "roles", "groups"] as const;
type PrincipalKind = (typeof principalKinds)[number];

/** RAM's rule for policy names (CreatePolicy): 1 to 128 letters, digits and hyphens. */
export const ramPolicyNamePattern = /^[A-Za-z0-9-]{1,128}$/;

/** The policy name used when none is given, derived from the stack and component names. */
export function defaultDenyPolicyName(stack: string, name: string): string {
    return `deny-kms-encryption-updates-${stack}-${name}`
        .replace(/[^A-Za-z0-9-]+/g, "-")
        .replace(/-{2,}/g, "-")
        .replace(/-$/, "")
        .slice(0, 128);
}

/**
 * The deny policy document for the given clusters (every cluster when none are given) and, when
 * keys are given, a Deny of the key-destroying actions on those keys.
 */
export function denyPolicyDocument(
    clusterIds?: readonly string[],
    protectKeys: readonly string[] = [],
): string {
    const resources =
        clusterIds === undefined ? ["*"] : [...new Set(clusterIds)].map(facts.clusterResourceArn);
    const statements: Array<Record<string, unknown>> = [
        { Effect: "Deny", Action: [facts.updateKmsEncryptionAction], Resource: resources },
    ];
    if (protectKeys.length > 0) {
        statements.push({
            Effect: "Deny",
            Action: [...facts.keyDestructionActions],
            Resource: [...new Set(protectKeys.map(facts.keyResourceArn))],
        });
    }
    return JSON.stringify({ Version: "1", Statement: statements });
}

/**
 * Checks one key id or ARN of protectKeys (the shared key id verdict, and no whitespace or
 * wildcard anywhere, as the key ARN goes into a Deny statement's Resource); returns the problem,
 * if any.
 */
export function protectKeyProblem(key: unknown): string | undefined {
    if (typeof key !== "string" || judgeKeyId(key).verdict === "notKeyId" || /[\s*?]/.test(key)) {
        return invalid(
            "protectKeys",
            key,
            'is not a KMS key id or ARN: use an id such as "key-hzz62f1c3b2d6y4mdp1xx" or its ARN.',
        );
    }
    return undefined;
}

/** Checks a policy document against RAM's size limit; returns the problem, if any. */
export function documentSizeProblem(document: string): string | undefined {
    const bytes = Buffer.byteLength(document, "utf8");
    if (bytes <= facts.ramPolicyDocumentMaxBytes) {
        return undefined;
    }
    return (
        `[clusterIds] the deny policy document is ${bytes} bytes, over RAM's limit of ` +
        `${facts.ramPolicyDocumentMaxBytes} bytes: split the clusters across several ` +
        "DenyKmsEncryptionUpdates components."
    );
}

/** Checks one cluster id; returns the problem, if any. */
export function clusterIdProblem(clusterId: unknown): string | undefined {
    if (typeof clusterId !== "string" || clusterId.trim() === "" || /[\s*?]/.test(clusterId)) {
        return invalid(
            "clusterIds",
            clusterId,
            'is not a cluster id: use ids such as "c0123456789abcdef".',
        );
    }
    return undefined;
}

/** Checks one user, role or group name; returns the problem, if any. */
export function principalProblem(kind: PrincipalKind, principal: unknown): string | undefined {
    if (typeof principal !== "string" || principal.trim() === "" || /\s/.test(principal)) {
        return invalid(kind, principal, "is not a RAM name: use a non-empty name without spaces.");
    }
    return undefined;
}

/**
 * The problems with the plain args of a DenyKmsEncryptionUpdates, all at once, the policy name
 * it would default to (from the stack and component names) included.
 */
export function validateDenyArgs(
    args: DenyKmsEncryptionUpdatesArgs,
    defaultPolicyName: string,
): string[] {
    const given = (args as DenyKmsEncryptionUpdatesArgs | null | undefined)?.policyName;
    return [
        ...validateDenyArgsExceptDefaults(args),
        ...problemList([given === undefined ? policyNameProblem(defaultPolicyName) : undefined]),
    ];
}

/** The policy name's problem, if any. */
function policyNameProblem(policyName: unknown): string | undefined {
    if (typeof policyName !== "string" || !ramPolicyNamePattern.test(policyName)) {
        return invalid(
            "policyName",
            policyName,
            "is not a valid RAM policy name: use 1 to 128 letters, digits and hyphens (-).",
        );
    }
    return undefined;
}

/**
 * ACK's service role works the key for the API server: a role list that names it cannot be given
 * protectKeys (EncryptedCluster checks this for its default protectKeys, the bound key).
 */
export function ackServiceRoleProblem(
    roles: DenyKmsEncryptionUpdatesArgs["roles"],
): string | undefined {
    for (const role of Array.isArray(roles) ? roles : []) {
        if (
            typeof role === "string" &&
            role.toLowerCase() === facts.securityRoleName.toLowerCase()
        ) {
            return invalid(
                "roles",
                role,
                "is ACK's service role: it must keep every right on the keys of protectKeys; deny only the people and automation that manage them.",
            );
        }
    }
    return undefined;
}

/**
 * The problems with the args as given, all at once, without the defaults the component fills in
 * from its own name (the policy name): what another component (EncryptedCluster) passes through
 * is checked with this before the child exists.
 */
export function validateDenyArgsExceptDefaults(args: DenyKmsEncryptionUpdatesArgs): string[] {
    return argsProblems<DenyKmsEncryptionUpdatesArgs>(
        "DenyKmsEncryptionUpdates",
        args,
        denyKmsEncryptionUpdatesArgNames,
        (a) => [
            ...principalsProblems(a),
            ...clusterIdsProblems(a.clusterIds),
            ...protectKeysProblems(a),
            a.policyName === undefined
                ? undefined
                : (plainValueProblem(
                      "policyName",
                      a.policyName,
                      "1 to 128 letters, digits and hyphens (-)",
                  ) ?? policyNameProblem(a.policyName)),
            isKnown(a.description) ? policyDescriptionProblem(a.description) : undefined,
        ],
    );
}

/** Each principal list: plain, of RAM names each listed once; and at least one principal. */
function principalsProblems(args: DenyKmsEncryptionUpdatesArgs): string[] {
    const problems: string[] = [];
    let principals = 0;
    let listsValid = true;
    for (const kind of principalKinds) {
        const list: unknown = args[kind];
        if (list === undefined) {
            continue;
        }
        if (!Array.isArray(list)) {
            listsValid = false;
            problems.push(
                plainValueProblem(kind, list, "a list of RAM names") ??
                    invalid(kind, list, "is not valid: use a list of RAM names."),
            );
            continue;
        }
        const seen = new Set<string>();
        for (const principal of list as pulumi.Input<string>[]) {
            if (!isKnown(principal)) {
                continue;
            }
            // A name listed twice is one problem, whether or not the name is valid.
            const problem = seen.has(principal)
                ? principalProblem(kind, principal) === undefined
                    ? invalid(kind, principal, "is listed twice: list each name once.")
                    : undefined
                : principalProblem(kind, principal);
            if (problem) {
                problems.push(problem);
            }
            seen.add(principal);
        }
        principals += list.length;
    }
    if (listsValid && principals === 0) {
        problems.push(
            "[users, roles, groups] are all empty: attach the deny policy to at least one RAM user, role or group.",
        );
    }
    return problems;
}

/** The cluster ids: unset, or a plain, non-empty list of ids that fits RAM's document size. */
function clusterIdsProblems(clusterIds: unknown): string[] {
    if (clusterIds === undefined) {
        return [];
    }
    if (!Array.isArray(clusterIds)) {
        return [
            plainValueProblem("clusterIds", clusterIds, "a list of cluster ids") ??
                invalid("clusterIds", clusterIds, "is not valid: use a list of cluster ids."),
        ];
    }
    if (clusterIds.length === 0) {
        return [
            "[clusterIds] [] is empty: omit clusterIds to deny the action on every cluster, or list at least one id.",
        ];
    }
    const problems = problemList(
        clusterIds.map((id) => (isKnown(id) ? clusterIdProblem(id) : undefined)),
    );
    if (problems.length === 0 && clusterIds.every((id) => isKnown(id))) {
        return problemList([documentSizeProblem(denyPolicyDocument(clusterIds as string[]))]);
    }
    return problems;
}

/** The keys to protect: unset, or a plain list of key ids or ARNs, with ACK's role not denied. */
function protectKeysProblems(args: DenyKmsEncryptionUpdatesArgs): string[] {
    const protectKeys: unknown = args.protectKeys;
    if (protectKeys === undefined) {
        return [];
    }
    if (!Array.isArray(protectKeys)) {
        return [
            plainValueProblem("protectKeys", protectKeys, "a list of KMS key ids or ARNs") ??
                invalid(
                    "protectKeys",
                    protectKeys,
                    "is not valid: use a list of KMS key ids or ARNs.",
                ),
        ];
    }
    return problemList([
        ...protectKeys.map((key) => (isKnown(key) ? protectKeyProblem(key) : undefined)),
        ackServiceRoleProblem(args.roles),
    ]);
}

/**
 * A custom RAM policy that denies `cs:UpdateKMSEncryption`, attached to the given users, roles and
 * groups, so they cannot turn Secret encryption off or swap its key (an explicit Deny beats any
 * Allow, including `AliyunCSFullAccess`).
 */
export class DenyKmsEncryptionUpdates extends pulumi.ComponentResource {
    static readonly __pulumiType = "ack-kms:index:DenyKmsEncryptionUpdates";

    /** The custom policy's name. */
    public readonly policyName: pulumi.Output<string>;
    /** The policy document sent to RAM. */
    public readonly policyDocument: pulumi.Output<string>;
    /** The `alicloud.ram.Policy` child. */
    public readonly policy: alicloud.ram.Policy;
    /** The attachments, one per principal. */
    public readonly attachments: pulumi.CustomResource[];

    constructor(
        name: string,
        args: DenyKmsEncryptionUpdatesArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        const defaultPolicyName = defaultDenyPolicyName(pulumi.getStack(), name);
        throwProblems(validateDenyArgs(args, defaultPolicyName));
        const policyName = args.policyName ?? defaultPolicyName;
        super(DenyKmsEncryptionUpdates.__pulumiType, name, {}, opts);

        const clusterIds = args.clusterIds;
        const protectKeys = args.protectKeys ?? [];
        // Each list is checked on its own, so a secret in either is redacted from the message.
        const checkedIds =
            clusterIds === undefined
                ? pulumi.output(undefined)
                : checkInput(
                      pulumi.all(clusterIds),
                      (ids) => ids.map(clusterIdProblem).find((p) => p !== undefined),
                      this,
                  );
        const checkedKeys = checkInput(
            pulumi.all(protectKeys),
            (keys) => keys.map(protectKeyProblem).find((p) => p !== undefined),
            this,
        );
        const document =
            clusterIds === undefined && protectKeys.length === 0
                ? pulumi.output(denyPolicyDocument())
                : checkInput(
                      pulumi.all([checkedIds, checkedKeys]),
                      ([ids, keys]) => documentSizeProblem(denyPolicyDocument(ids, keys)),
                      this,
                  ).apply(([ids, keys]) => denyPolicyDocument(ids, keys));
        this.policy = new alicloud.ram.Policy(
            `${name}-policy`,
            {
                policyName,
                policyDocument: document,
                description:
                    args.description === undefined
                        ? protectKeys.length > 0
                            ? "Denies cs:UpdateKMSEncryption and disabling, deleting or unprotecting the Secret encryption key, so Kubernetes Secret encryption cannot be turned off, re-keyed or lost."
                            : "Denies cs:UpdateKMSEncryption so Kubernetes Secret encryption cannot be turned off or re-keyed."
                        : checkInput(args.description, policyDescriptionProblem, this),
                force: true,
            },
            { parent: this },
        );

        this.attachments = [];
        for (const kind of principalKinds) {
            (args[kind] ?? []).forEach((principal, index) => {
                this.attachments.push(this.attach(name, kind, principal, index));
            });
        }

        this.policyName = this.policy.policyName;
        this.policyDocument = this.policy.policyDocument;
        this.registerOutputs({ policyName: this.policyName, policyDocument: this.policyDocument });
    }

    private attach(
        name: string,
        kind: PrincipalKind,
        principal: pulumi.Input<string>,
        index: number,
    ): pulumi.CustomResource {
        // Named after the principal when it is known, so reordering the list replaces nothing.
        const suffix = typeof principal === "string" ? principal : `#${index}`;
        // A principal that is an Output is checked once known: "" would attach to nobody.
        const checkedPrincipal = isKnown(principal)
            ? principal
            : checkInput(principal, (plain) => principalProblem(kind, plain), this);
        const common = {
            policyName: this.policy.policyName,
            policyType: "Custom",
        };
        const opts = { parent: this };
        switch (kind) {
            case "users":
                return new alicloud.ram.UserPolicyAttachment(
                    `${name}-user-${suffix}`,
                    { ...common, userName: checkedPrincipal },
                    opts,
                );
            case "roles":
                return new alicloud.ram.RolePolicyAttachment(
                    `${name}-role-${suffix}`,
                    { ...common, roleName: checkedPrincipal },
                    opts,
                );
            case "groups":
                return new alicloud.ram.GroupPolicyAttachment(
                    `${name}-group-${suffix}`,
                    { ...common, groupName: checkedPrincipal },
                    opts,
                );
        }
    }
}
