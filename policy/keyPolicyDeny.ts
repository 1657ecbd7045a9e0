// A KMS key policy's explicit Deny of the ACK service role: whether the policy of a key bound to a
// cluster keeps AliyunCSManagedSecurityRole from Encrypt, Decrypt or GenerateDataKey, which stops the
// API server from reading or writing Secrets. The one rule for `kms-key-policy-allows-ack-role` in
// the pack and for `ack-kms audit`; both word the verdict, neither judges it again.
//
// Key policies (https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/key-policies)
// are RAM documents whose statements also carry `Sid` and `Principal` (`{"RAM": [ARN patterns]}`, or
// `"*"`); they are read by the RAM parser (policy/ram/documents.ts) with those two keys allowed.
// Fail closed: a document that cannot be read, or a Principal of another shape, is `unreadable`; a
// Deny with a Condition may apply, so it is `may-deny`, never a pass.
import { parseKeyArn, secretsKeyActions, securityRoleName } from "./facts";
import {
    isUnreadable,
    parsePolicyDocument,
    ramResourceMatches,
    statementCoversAction,
    statementCoversResource,
} from "./ram/documents";

export type KeyPolicyDenyVerdict =
    | { verdict: "does-not-deny" }
    /** A Deny without Condition applies to the role for these actions. */
    | { verdict: "denies"; actions: string[]; statements: number[] }
    /** Only Denies with a Condition apply: they deny when the condition holds. */
    | { verdict: "may-deny"; actions: string[]; statements: number[] }
    | { verdict: "unreadable"; problems: string[] };

/** With the key's ARN not known yet, also: a Deny of the role may cover the key or not. */
export type PreviewKeyPolicyDenyVerdict =
    KeyPolicyDenyVerdict | { verdict: "undecided"; actions: string[]; statements: number[] };

/** Stands for an account id no literal pattern part matches, when the key ARN names none. */
const unknownAccount = "\u0001";

/** The ARNs the ACK service role acts as: the role, and its assumed-role sessions. */
export function securityRolePrincipalArns(accountId: string): string[] {
    const role = securityRoleName.toLowerCase();
    return [`acs:ram::${accountId}:role/${role}`, `acs:ram::${accountId}:assumed-role/${role}/*`];
}

function principalPatterns(raw: unknown, index: number): string[] | string {
    const where = `Statement[${index}].Principal`;
    if (raw === undefined) {
        return `${where} is missing (a key policy statement names its principals)`;
    }
    if (raw === "*") {
        return ["*"];
    }
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        return `${where} is not "*" or an object`;
    }
    const patterns: string[] = [];
    for (const [kind, value] of Object.entries(raw as Record<string, unknown>)) {
        if (kind !== "RAM" && kind !== "Service") {
            return `${where} has the unknown key ${JSON.stringify(kind)}`;
        }
        const list = typeof value === "string" ? [value] : value;
        if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) {
            return `${where}.${kind} is not a string or a list of strings`;
        }
        // Services are not the role; only RAM principals can name it.
        if (kind === "RAM") {
            patterns.push(...(list as string[]));
        }
    }
    return patterns;
}

/** A RAM principal pattern with its account part any account (`acs:ram::*:role/...`). */
function inAnyAccount(pattern: string): string {
    const parts = pattern.split(":");
    if (parts.length < 5 || parts[0] !== "acs" || parts[1] !== "ram") {
        return pattern;
    }
    parts[3] = "*";
    return parts.join(":");
}

function rawStatements(document: unknown): unknown[] {
    const parsed: unknown = typeof document === "string" ? JSON.parse(document) : document;
    const statement = (parsed as { Statement?: unknown }).Statement;
    return Array.isArray(statement) ? statement : [statement];
}

/**
 * Whether a key policy (the text GetKeyPolicy returns, or the object) explicitly denies the ACK
 * service role what Secret encryption needs on the key `keyArn` (`acs:kms:<region>:<account>:key/<id>`),
 * or, with the ARN not known yet (undefined), whether that is undecided.
 */
export function keyPolicyDenyVerdict(document: unknown, keyArn: string): KeyPolicyDenyVerdict;
export function keyPolicyDenyVerdict(
    document: unknown,
    keyArn: string | undefined,
): PreviewKeyPolicyDenyVerdict;
export function keyPolicyDenyVerdict(
    document: unknown,
    keyArn: string | undefined,
): PreviewKeyPolicyDenyVerdict {
    const parsed = parsePolicyDocument(document, { extraStatementKeys: ["Sid", "Principal"] });
    if (isUnreadable(parsed)) {
        return { verdict: "unreadable", problems: parsed.problems };
    }
    // Readable means valid JSON without duplicate keys: reading Principal from it is unambiguous.
    const raws = rawStatements(document);
    const principals = raws.map((raw, i) =>
        principalPatterns((raw as Record<string, unknown>).Principal, i),
    );
    const problems = principals.filter((p): p is string => typeof p === "string");
    if (problems.length > 0) {
        return { verdict: "unreadable", problems };
    }
    const roleArns = securityRolePrincipalArns(
        (keyArn !== undefined && parseKeyArn(keyArn)?.accountId) || unknownAccount,
    );
    const sure = { actions: new Set<string>(), statements: [] as number[] };
    const conditional = { actions: new Set<string>(), statements: [] as number[] };
    const undecided = { actions: new Set<string>(), statements: [] as number[] };
    parsed.forEach((statement, i) => {
        const coverage = statementCoversResource(statement, keyArn);
        if (statement.effect !== "Deny" || coverage === "not-covered") {
            return;
        }
        const patterns = principals[i] as string[];
        // Role ARNs are lower case; a pattern naming the role in another case still means it.
        const names = (pattern: string) =>
            roleArns.some((arn) => ramResourceMatches(pattern.toLowerCase(), arn));
        const namesRole = patterns.some(names);
        // With the ARN unknown so is the account: a pattern naming the role in one may name it.
        const mayNameRole =
            namesRole || (keyArn === undefined && patterns.some((p) => names(inAnyAccount(p))));
        const actions = secretsKeyActions.filter((a) => statementCoversAction(statement, a));
        if (!mayNameRole || actions.length === 0) {
            return;
        }
        const into =
            coverage === "undecided" || !namesRole
                ? undecided
                : statement.hasCondition
                  ? conditional
                  : sure;
        actions.forEach((a) => into.actions.add(a));
        into.statements.push(i);
    });
    if (sure.statements.length > 0) {
        return { verdict: "denies", actions: [...sure.actions], statements: sure.statements };
    }
    if (conditional.statements.length > 0) {
        return {
            verdict: "may-deny",
            actions: [...conditional.actions],
            statements: conditional.statements,
        };
    }
    if (undecided.statements.length > 0) {
        return {
            verdict: "undecided",
            actions: [...undecided.actions],
            statements: undecided.statements,
        };
    }
    return { verdict: "does-not-deny" };
}
