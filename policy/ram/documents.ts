// Over 400 lines: the one RAM parser and matcher, kept whole so the rule reads in one place.
// RAM policy documents: reading a document strictly and deciding whether a statement allows or
// denies an action. The one parser and matcher of the project: the pack and cloud/ram.ts import it.
//
// RAM policy language (https://www.alibabacloud.com/help/en/ram/user-guide/policy-structure-and-syntax
// and https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements):
// - a document has Version ("1") and Statement (a list, or one statement);
// - a statement has Effect ("Allow" | "Deny"), Action or NotAction, Resource or NotResource,
//   optional Condition;
// - `"Action": "x"` and `"Action": ["x"]` are equivalent (a single value or a list);
// - NotAction applies the effect to every action except those listed;
// - when an Allow and a Deny both apply, the Deny wins.
//
// Fail closed: a document this module cannot read unambiguously yields a list of problems instead
// of statements (invalid JSON, a byte-order mark, duplicate keys, which JSON.parse resolves
// silently to the last one, keys in another letter case or unknown, non-string entries, values with
// leading or trailing spaces or invisible characters, an Effect other than "Allow"/"Deny"). RAM
// refuses many of these at create time; the gate does not wave them through either. Problems name
// places in the document, never its values (a document may be a secret).
import { visit } from "jsonc-parser";
import { ramActionMatches } from "../facts";

export interface RamStatement {
    effect: "Allow" | "Deny";
    /** Action patterns; undefined when the statement uses NotAction. */
    actions?: string[];
    /** NotAction patterns. */
    notActions?: string[];
    /** Resource patterns; undefined when the statement uses NotResource. */
    resources?: string[];
    /** NotResource patterns. */
    notResources?: string[];
    /** Whether the statement has a Condition (it then applies only to some requests). */
    hasCondition: boolean;
}

/** A document that could not be read, with what could not be read, so a policy can say so. */
export interface UnreadableDocument {
    problems: string[];
}

export type ParsedDocument = RamStatement[] | UnreadableDocument;

export function isUnreadable(value: ParsedDocument): value is UnreadableDocument {
    return !Array.isArray(value);
}

const documentKeys = ["Version", "Statement"];
const statementKeys = ["Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"];

/** Characters that make two spellings look alike: controls, zero-width and bidi marks, BOM. */
const invisible = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

function place(path: Array<string | number>): string {
    if (path.length === 0) {
        return "the document";
    }
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** Duplicate keys of a JSON text, by place ("duplicate key \"Effect\" in Statement[0]"). */
function duplicateKeys(text: string): string[] {
    const problems: string[] = [];
    const open: Array<Set<string>> = [];
    visit(
        text,
        {
            onObjectBegin: () => {
                open.push(new Set());
            },
            onObjectEnd: () => {
                open.pop();
            },
            onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
                const keys = open[open.length - 1];
                if (!keys) {
                    return;
                }
                if (keys.has(property)) {
                    problems.push(
                        `duplicate key ${JSON.stringify(property)} in ${place(pathSupplier())}`,
                    );
                }
                keys.add(property);
            },
        },
        { disallowComments: true, allowTrailingComma: false },
    );
    return problems;
}

/** Problems of every string (keys and values) in a parsed document: spaces and invisible characters. */
function stringProblems(value: unknown, path: Array<string | number>, problems: string[]): void {
    if (typeof value === "string") {
        if (value !== value.trim()) {
            problems.push(`${place(path)} has leading or trailing spaces`);
        }
        if (invisible.test(value)) {
            problems.push(`${place(path)} has invisible or control characters`);
        }
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => stringProblems(v, [...path, i], problems));
    } else if (value !== null && typeof value === "object") {
        for (const key of Object.keys(value)) {
            if (key !== key.trim() || invisible.test(key)) {
                problems.push(
                    `key ${JSON.stringify(key.trim())} in ${place(path)} has spaces or invisible characters`,
                );
            }
            stringProblems((value as Record<string, unknown>)[key], [...path, key], problems);
        }
    }
}

/** Keys that are not the elements expected, by letter case first. */
function keyProblems(
    object: Record<string, unknown>,
    expected: string[],
    path: Array<string | number>,
    problems: string[],
): void {
    for (const key of Object.keys(object)) {
        if (expected.includes(key)) {
            continue;
        }
        const meant = expected.find((e) => e.toLowerCase() === key.trim().toLowerCase());
        problems.push(
            meant
                ? `key ${JSON.stringify(key.trim())} in ${place(path)} is not spelled ${JSON.stringify(meant)}`
                : `unexpected key ${JSON.stringify(key.trim())} in ${place(path)}`,
        );
    }
}

/** A string or a non-empty list of strings; problems otherwise. */
function stringList(
    value: unknown,
    path: Array<string | number>,
    problems: string[],
): string[] | undefined {
    if (typeof value === "string") {
        return [value];
    }
    if (!Array.isArray(value)) {
        problems.push(`${place(path)} is not a string or a list of strings`);
        return undefined;
    }
    if (value.length === 0) {
        problems.push(`${place(path)} is an empty list`);
        return undefined;
    }
    let ok = true;
    value.forEach((v, i) => {
        if (typeof v !== "string") {
            problems.push(`${place([...path, i])} is not a string`);
            ok = false;
        }
    });
    return ok ? (value as string[]) : undefined;
}

/** One of two exclusive elements (Action / NotAction, Resource / NotResource). */
function either(
    s: Record<string, unknown>,
    [a, b]: [string, string],
    path: Array<string | number>,
    problems: string[],
): { a?: string[]; b?: string[] } {
    const hasA = a in s;
    const hasB = b in s;
    if (hasA && hasB) {
        problems.push(`${place(path)} has both ${a} and ${b}`);
        return {};
    }
    if (!hasA && !hasB) {
        problems.push(`${place(path)} has neither ${a} nor ${b}`);
        return {};
    }
    return hasA
        ? { a: stringList(s[a], [...path, a], problems) }
        : { b: stringList(s[b], [...path, b], problems) };
}

function readStatement(
    raw: unknown,
    path: Array<string | number>,
    problems: string[],
    extraKeys: readonly string[],
): RamStatement | undefined {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        problems.push(`${place(path)} is not an object`);
        return undefined;
    }
    const s = raw as Record<string, unknown>;
    const before = problems.length;
    keyProblems(s, [...statementKeys, ...extraKeys], path, problems);
    if (s.Effect !== "Allow" && s.Effect !== "Deny") {
        problems.push(
            "Effect" in s
                ? `${place([...path, "Effect"])} is not "Allow" or "Deny"`
                : `${place(path)} has no Effect`,
        );
    }
    const action = either(s, ["Action", "NotAction"], path, problems);
    const resource = either(s, ["Resource", "NotResource"], path, problems);
    if ("Condition" in s) {
        const c = s.Condition;
        if (c === null || typeof c !== "object" || Array.isArray(c)) {
            problems.push(`${place([...path, "Condition"])} is not an object`);
        }
    }
    if (problems.length > before) {
        return undefined;
    }
    return {
        effect: s.Effect as "Allow" | "Deny",
        actions: action.a,
        notActions: action.b,
        resources: resource.a,
        notResources: resource.b,
        hasCondition: "Condition" in s,
    };
}

/** The statements of a parsed document, or its problems. */
function readDocument(
    parsed: unknown,
    problems: string[],
    extraKeys: readonly string[],
): ParsedDocument {
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        return { problems: [...problems, "the document is not a JSON object"] };
    }
    const doc = parsed as Record<string, unknown>;
    stringProblems(doc, [], problems);
    keyProblems(doc, documentKeys, [], problems);
    if ("Version" in doc && doc.Version !== "1") {
        problems.push('Version is not "1"');
    }
    const raw = doc.Statement;
    let list: unknown[] | undefined;
    if (Array.isArray(raw)) {
        list = raw;
    } else if (raw !== null && typeof raw === "object") {
        list = [raw];
    } else {
        problems.push(
            "Statement" in doc
                ? "Statement is not a list or an object"
                : "the document has no Statement",
        );
    }
    const statements: RamStatement[] = [];
    (list ?? []).forEach((s, i) => {
        const statement = readStatement(
            s,
            Array.isArray(raw) ? ["Statement", i] : ["Statement"],
            problems,
            extraKeys,
        );
        if (statement) {
            statements.push(statement);
        }
    });
    return problems.length > 0 ? { problems } : statements;
}

/** Options of `parsePolicyDocument` for dialects of the RAM policy language. */
export interface DocumentDialect {
    /**
     * Statement keys accepted beside RAM's own, e.g. `Sid` and `Principal` in KMS key policies
     * (policy/keyPolicyDeny.ts reads them). Defaults to none.
     */
    extraStatementKeys?: readonly string[];
}

/**
 * The statements of a JSON policy document (text, or an already parsed object), or every problem
 * that keeps it from being read unambiguously.
 */
export function parsePolicyDocument(
    document: unknown,
    dialect: DocumentDialect = {},
): ParsedDocument {
    const extraKeys = dialect.extraStatementKeys ?? [];
    if (typeof document !== "string") {
        return readDocument(document, [], extraKeys);
    }
    if (document.startsWith("\ufeff")) {
        return { problems: ["the document starts with a byte-order mark"] };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(document);
    } catch {
        return { problems: ["the document is not valid JSON"] };
    }
    return readDocument(parsed, duplicateKeys(document), extraKeys);
}

/** The deprecated `statements` input of alicloud.ram.Policy: [{ effect, actions, resources }]. */
export function parseLegacyStatements(value: unknown): ParsedDocument {
    const problems: string[] = [];
    if (!Array.isArray(value)) {
        return { problems: ["statements is not a list"] };
    }
    const statements: RamStatement[] = [];
    value.forEach((raw, i) => {
        const path = ["statements", i];
        if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
            problems.push(`${place(path)} is not an object`);
            return;
        }
        const s = raw as Record<string, unknown>;
        const before = problems.length;
        stringProblems(s, path, problems);
        keyProblems(s, ["effect", "actions", "resources"], path, problems);
        if (s.effect !== "Allow" && s.effect !== "Deny") {
            problems.push(`${place([...path, "effect"])} is not "Allow" or "Deny"`);
        }
        const actions = stringList(s.actions, [...path, "actions"], problems);
        const resources = stringList(s.resources, [...path, "resources"], problems);
        if (problems.length === before) {
            statements.push({
                effect: s.effect as "Allow" | "Deny",
                actions,
                resources,
                hasCondition: false,
            });
        }
    });
    return problems.length > 0 ? { problems } : statements;
}

/** Whether the statement's Action / NotAction covers the action. */
export function statementCoversAction(statement: RamStatement, action: string): boolean {
    if (statement.actions) {
        return statement.actions.some((pattern) => ramActionMatches(pattern, action));
    }
    return !(statement.notActions ?? []).some((pattern) => ramActionMatches(pattern, action));
}

/** Whether a statement's Resource / NotResource covers a resource, or undecided yet. */
export type ResourceCoverage = "covered" | "not-covered" | "undecided";

/**
 * Stand-ins for a KMS key whose ARN is not known yet: no literal pattern part matches them, and `?`
 * parts cannot match both (controls are problems in documents).
 */
const anyKeyArns = [
    "acs:kms:\u0001:\u0001:key/\u0001",
    "acs:kms:\u0001\u0002\u0003\u0004\u0005\u0006\u0007:\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008:key/\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f",
];

/**
 * Whether the statement's Resource / NotResource covers the KMS key `arn`. With the ARN not known yet
 * (undefined) only a Resource pattern matching every key ARN (`*`, `acs:kms:*:*:*`) surely covers it;
 * any other Resource, and every NotResource (which covers what it does not list), is undecided.
 */
export function statementCoversResource(
    statement: RamStatement,
    arn: string | undefined,
): ResourceCoverage {
    if (arn === undefined) {
        const wildcard = (statement.resources ?? []).some((p) =>
            anyKeyArns.every((standIn) => ramResourceMatches(p, standIn)),
        );
        return wildcard ? "covered" : "undecided";
    }
    if (statement.resources) {
        return statement.resources.some((p) => ramResourceMatches(p, arn))
            ? "covered"
            : "not-covered";
    }
    return (statement.notResources ?? []).some((p) => ramResourceMatches(p, arn))
        ? "not-covered"
        : "covered";
}

/** An Allow of the action, whatever its Resource or Condition (either only narrows the grant). */
export function statementAllows(statement: RamStatement, action: string): boolean {
    return statement.effect === "Allow" && statementCoversAction(statement, action);
}

/**
 * Which clusters a Deny of the action surely applies to: every cluster, or the cluster ARN patterns
 * it names. Undefined when it is not a Deny of the action or may not apply to a request: a Deny with
 * a Condition applies only when the condition holds, a NotResource Deny to what it does not list.
 */
export interface DenyScope {
    allClusters: boolean;
    /** `acs:cs:...` Resource patterns naming some clusters. */
    clusterPatterns: string[];
}

/** Synthetic cluster ARNs no literal pattern part can match (controls are problems in documents). */
const anyClusterArns = [
    "acs:cs:\u0001:\u0001:cluster/\u0001",
    "acs:cs:\u0001\u0002\u0003\u0004\u0005\u0006\u0007:\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008:cluster/\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f",
];

/** Whether a RAM Resource pattern matches a resource ARN: `*` any run, `?` one character, case kept. */
export function ramResourceMatches(pattern: string, arn: string): boolean {
    let source = "";
    for (const char of pattern) {
        source +=
            char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
    }
    return new RegExp(`^${source}$`, "s").test(arn);
}

export function denyScope(statement: RamStatement, action: string): DenyScope | undefined {
    if (
        statement.effect !== "Deny" ||
        statement.hasCondition ||
        !statement.resources ||
        !statementCoversAction(statement, action)
    ) {
        return undefined;
    }
    const allClusters = statement.resources.some((p) =>
        anyClusterArns.every((arn) => ramResourceMatches(p, arn)),
    );
    const clusterPatterns = statement.resources.filter((p) => p.startsWith("acs:cs:"));
    return allClusters || clusterPatterns.length > 0 ? { allClusters, clusterPatterns } : undefined;
}

/**
 * Whether a Deny scope applies to the ACK cluster with this id (in this region, when known), in
 * any account of the stack: one of its patterns matches `acs:cs:<region>:<account>:cluster/<id>`.
 */
export function denyScopeCoversCluster(
    scope: DenyScope,
    clusterId: string,
    regionId?: string,
): boolean {
    if (scope.allClusters) {
        return true;
    }
    return scope.clusterPatterns.some((pattern) => {
        const parts = pattern.split(":");
        if (parts.length !== 5) {
            return false;
        }
        const [, , region, , resource] = parts;
        return (
            ramResourceMatches(region, regionId ?? "\u0001") &&
            ramResourceMatches(resource, `cluster/${clusterId}`)
        );
    });
}

/** A Deny of the action that surely applies to some or all ACK clusters. */
export function statementDenies(statement: RamStatement, action: string): boolean {
    return denyScope(statement, action) !== undefined;
}
