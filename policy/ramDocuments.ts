// RAM policy documents: reading the statements of a custom policy resource and deciding whether a
// statement allows or denies an action.
//
// RAM policy language (https://www.alibabacloud.com/help/en/ram/user-guide/policy-structure-and-syntax
// and https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements):
// - a statement has Effect ("Allow" | "Deny"), Action or NotAction, Resource, optional Condition;
// - `"Action": "x"` and `"Action": ["x"]` are equivalent (a single value or a list);
// - NotAction applies the effect to every action except those listed;
// - when an Allow and a Deny both apply, the Deny wins.
import { ramActionMatches } from "./facts";
import { Known, readPlain, readString, tryRead, unknown } from "./known";

export interface RamStatement {
    effect: string;
    /** Action patterns; undefined when the statement uses NotAction. */
    actions?: string[];
    /** NotAction patterns. */
    notActions?: string[];
    resources: string[];
}

/** A document that could not be read, with why, so a policy can say so. */
export interface UnreadableDocument {
    problem: string;
}

function asList(value: unknown): string[] | undefined {
    if (typeof value === "string") {
        return [value];
    }
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
        return value as string[];
    }
    return undefined;
}

/** Statements of a JSON policy document (text, or an already parsed object). */
export function parsePolicyDocument(document: unknown): RamStatement[] | UnreadableDocument {
    let parsed: unknown = document;
    if (typeof document === "string") {
        try {
            parsed = JSON.parse(document);
        } catch {
            return { problem: "the policy document is not valid JSON" };
        }
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        return { problem: "the policy document is not a JSON object" };
    }
    const rawStatements = (parsed as Record<string, unknown>).Statement;
    const list = Array.isArray(rawStatements)
        ? rawStatements
        : rawStatements && typeof rawStatements === "object"
          ? [rawStatements]
          : undefined;
    if (!list) {
        return { problem: "the policy document has no Statement list" };
    }
    const statements: RamStatement[] = [];
    for (const raw of list) {
        if (raw === null || typeof raw !== "object") {
            return { problem: "a statement is not a JSON object" };
        }
        const s = raw as Record<string, unknown>;
        const effect = typeof s.Effect === "string" ? s.Effect : "";
        const actions = "Action" in s ? asList(s.Action) : undefined;
        const notActions = "NotAction" in s ? asList(s.NotAction) : undefined;
        if (!actions && !notActions) {
            return { problem: "a statement has neither an Action nor a NotAction list of strings" };
        }
        statements.push({
            effect,
            actions,
            notActions,
            resources: asList(s.Resource) ?? ["*"],
        });
    }
    return statements;
}

/** Whether the statement's Action / NotAction covers the action. */
export function statementCoversAction(statement: RamStatement, action: string): boolean {
    if (statement.actions) {
        return statement.actions.some((pattern) => ramActionMatches(pattern, action));
    }
    return !(statement.notActions ?? []).some((pattern) => ramActionMatches(pattern, action));
}

export function statementAllows(statement: RamStatement, action: string): boolean {
    return statement.effect.toLowerCase() === "allow" && statementCoversAction(statement, action);
}

/**
 * A Deny that covers the action on clusters: every resource (`*`) or ACK resources (`acs:cs:...`),
 * which is how `DenyKmsEncryptionUpdates` narrows it to its clusters.
 */
export function statementDenies(statement: RamStatement, action: string): boolean {
    return (
        statement.effect.toLowerCase() === "deny" &&
        statementCoversAction(statement, action) &&
        statement.resources.some((r) => r === "*" || r.toLowerCase().startsWith("acs:cs:"))
    );
}

/** The statements of the deprecated `statements` input of alicloud.ram.Policy. */
function legacyStatements(value: unknown): RamStatement[] | UnreadableDocument {
    if (!Array.isArray(value)) {
        return { problem: "statements is not a list" };
    }
    return value.map((raw) => {
        const s = (raw ?? {}) as Record<string, unknown>;
        return {
            effect: typeof s.effect === "string" ? s.effect : "",
            actions: asList(s.actions) ?? [],
            resources: asList(s.resources) ?? ["*"],
        };
    });
}

/**
 * The statements of an `alicloud:ram/policy:Policy` (policyDocument, or the deprecated document /
 * statements) or an `alicloud:resourcemanager/policy:Policy` (policyDocument).
 * Unknown (preview) when the document is not known yet; secrets arrive unwrapped.
 */
export function statementsOfPolicyResource(
    props: Record<string, unknown>,
): Known<RamStatement[] | UnreadableDocument> {
    for (const key of ["policyDocument", "document"]) {
        const has = tryRead(() => key in props && props[key] !== undefined && props[key] !== null);
        if (!has.known) {
            return unknown;
        }
        if (has.value) {
            const document = readPlain(props, key);
            return document.known
                ? { known: true, value: parsePolicyDocument(document.value) }
                : unknown;
        }
    }
    const legacy = readPlain(props, "statements");
    if (!legacy.known) {
        return unknown;
    }
    if (legacy.value !== undefined && legacy.value !== null) {
        return { known: true, value: legacyStatements(legacy.value) };
    }
    return { known: true, value: { problem: "the policy has no document" } };
}

/** The name of a custom policy resource (`policyName`, or the deprecated `name`). */
export function policyResourceName(props: Record<string, unknown>): Known<string | undefined> {
    const name = readString(props, "policyName");
    if (!name.known || name.value) {
        return name;
    }
    return readString(props, "name");
}

export function isUnreadable(
    value: RamStatement[] | UnreadableDocument,
): value is UnreadableDocument {
    return !Array.isArray(value);
}
