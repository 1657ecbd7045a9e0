// RAM grants that can take a bound key away from its cluster: disabling it, scheduling its deletion,
// turning its deletion protection off or replacing its key policy. The one rule for
// `ram-deny-key-destruction-attached` in the pack and for `ack-kms audit`: which of these actions a
// RAM policy document allows on a key, and which it surely denies (a Deny without Condition whose
// Resource covers the key). Documents are read by policy/ram/documents.ts; unreadable ones are said so.
import { keyDestructionActions } from "./facts";
import {
    isUnreadable,
    ParsedDocument,
    parsePolicyDocument,
    statementCoversAction,
    statementCoversResource,
} from "./ram/documents";

export type KeyDestructionVerdict =
    | {
          verdict: "read";
          allows: string[];
          denies: string[];
          /**
           * With the key's ARN not known yet: the actions a Deny without Condition denies on
           * Resources that may or may not cover the key (a NotResource, a Resource naming keys).
           * Present only when not empty.
           */
          undecided?: string[];
      }
    | { verdict: "unreadable"; problems: string[] };

/**
 * Which key-destroying actions a RAM policy document allows on `keyArn` (any Allow, a Condition only
 * narrows it; with the ARN unknown, any Allow that may cover it) and which it surely denies there (a
 * Deny without Condition).
 */
export function keyDestructionVerdict(
    document: unknown,
    keyArn: string | undefined,
): KeyDestructionVerdict {
    return keyDestructionVerdictOf(parsePolicyDocument(document), keyArn);
}

/** keyDestructionVerdict of a document already read by policy/ram/documents.ts. */
export function keyDestructionVerdictOf(
    parsed: ParsedDocument,
    keyArn: string | undefined,
): KeyDestructionVerdict {
    if (isUnreadable(parsed)) {
        return { verdict: "unreadable", problems: parsed.problems };
    }
    const allows = new Set<string>();
    const denies = new Set<string>();
    const undecided = new Set<string>();
    for (const statement of parsed) {
        const coverage = statementCoversResource(statement, keyArn);
        if (coverage === "not-covered") {
            continue;
        }
        for (const action of keyDestructionActions) {
            if (!statementCoversAction(statement, action)) {
                continue;
            }
            if (statement.effect === "Allow") {
                allows.add(action);
            } else if (!statement.hasCondition) {
                (coverage === "covered" ? denies : undecided).add(action);
            }
        }
    }
    const order = (set: Set<string>) => keyDestructionActions.filter((a) => set.has(a));
    const maybe = order(undecided).filter((a) => !denies.has(a));
    return {
        verdict: "read",
        allows: order(allows),
        denies: order(denies),
        ...(maybe.length > 0 ? { undecided: maybe } : {}),
    };
}

/** The granted actions no Deny covers: what a principal can still do to the key. */
export function uncoveredDestruction(
    granted: Iterable<string>,
    denied: Iterable<string>,
): string[] {
    const deniedSet = new Set(denied);
    const grantedSet = new Set(granted);
    return keyDestructionActions.filter((a) => grantedSet.has(a) && !deniedSet.has(a));
}
