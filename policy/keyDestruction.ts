// RAM grants that can take a bound key away from its cluster: disabling it, scheduling its deletion,
// turning its deletion protection off or replacing its key policy. The one rule for
// `ram-deny-key-destruction-attached` in the pack and for `ack-kms audit`: which of these actions a
// RAM policy document allows on a key, and which it surely denies (a Deny without Condition whose
// Resource covers the key). Documents are read by policy/ram/documents.ts; unreadable ones are said so.
import {
    isUnreadable,
    parsePolicyDocument,
    ramResourceMatches,
    RamStatement,
    statementCoversAction,
} from "./ram/documents";

export const keyDestructionActions = [
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
    "kms:SetDeletionProtection",
    "kms:SetKeyPolicy",
] as const;

export type KeyDestructionVerdict =
    | { verdict: "read"; allows: string[]; denies: string[] }
    | { verdict: "unreadable"; problems: string[] };

/** Whether a statement's Resource / NotResource covers the key's ARN. */
export function statementCoversResource(statement: RamStatement, arn: string): boolean {
    if (statement.resources) {
        return statement.resources.some((p) => ramResourceMatches(p, arn));
    }
    return !(statement.notResources ?? []).some((p) => ramResourceMatches(p, arn));
}

/**
 * Which key-destroying actions a RAM policy document allows on `keyArn` (any Allow, a Condition only
 * narrows it) and which it surely denies there (a Deny without Condition).
 */
export function keyDestructionVerdict(document: unknown, keyArn: string): KeyDestructionVerdict {
    const parsed = parsePolicyDocument(document);
    if (isUnreadable(parsed)) {
        return { verdict: "unreadable", problems: parsed.problems };
    }
    const allows = new Set<string>();
    const denies = new Set<string>();
    for (const statement of parsed) {
        if (!statementCoversResource(statement, keyArn)) {
            continue;
        }
        for (const action of keyDestructionActions) {
            if (!statementCoversAction(statement, action)) {
                continue;
            }
            if (statement.effect === "Allow") {
                allows.add(action);
            } else if (!statement.hasCondition) {
                denies.add(action);
            }
        }
    }
    const order = (set: Set<string>) => keyDestructionActions.filter((a) => set.has(a));
    return { verdict: "read", allows: order(allows), denies: order(denies) };
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
