// Does an attached custom RAM policy deny cs:UpdateKMSEncryption on the cluster? The documents are
// read once (readCustomPolicies) and judged per cluster by the pack's parser and matcher.
import { updateKmsEncryptionAction } from "../../policy/facts";
import { RpcClient } from "../openApiCall";
import { clusterDenyVerdict, getPolicyDocument, listCustomPolicies } from "../ram";
import { withRetry } from "../retry";
import { checkIds, CheckResult, checkTitles } from "./results";

/** At most this many problems of one document are named in a check's detail. */
const problemsNamed = 3;

/** A document's problems as a short list: the first few, and how many more. */
function problemList(problems: string[]): string {
    const more = problems.length - problemsNamed;
    return (
        problems.slice(0, problemsNamed).join("; ") + (more > 0 ? `; ${more} more problems` : "")
    );
}

/** A custom policy with its default version's document, read once for every cluster judged. */
export interface ReadPolicy {
    policyName: string;
    /** Unset when RAM did not say: the policy may be attached. */
    attachmentCount?: number;
    document: unknown;
}

export interface ReadPolicies {
    policies: ReadPolicy[];
    /** How many custom policies the account has; more than `policies.length` when capped. */
    total: number;
    /** Policies past the cap that may be attached (their documents were not read). */
    unreadAttached: string[];
}

/** Whether a policy may be attached to someone: RAM says so, or RAM did not say. */
export function mayBeAttached(policy: { attachmentCount?: number }): boolean {
    return policy.attachmentCount !== 0;
}

/** How many custom policy documents verify and audit read at most, the most attached first. */
export const customPoliciesRead = 200;

/** Lists the custom policies and reads the documents of the first `limit`, attached ones first. */
export async function readCustomPolicies(
    client: RpcClient,
    limit = customPoliciesRead,
): Promise<ReadPolicies> {
    const listed = await withRetry(() => listCustomPolicies(client));
    // Attached policies first: they are the ones that protect or expose anything.
    const count = (p: { attachmentCount?: number }) => p.attachmentCount ?? Number.MAX_SAFE_INTEGER;
    const ordered = [...listed].sort((a, b) => count(b) - count(a));
    const policies: ReadPolicy[] = [];
    for (const policy of ordered.slice(0, limit)) {
        const document = await withRetry(() => getPolicyDocument(client, policy.policyName));
        policies.push({ ...policy, document });
    }
    const unreadAttached = ordered
        .slice(limit)
        .filter(mayBeAttached)
        .map((p) => p.policyName);
    return { policies, total: listed.length, unreadAttached };
}

/** The Deny check of one cluster over documents already read. */
export function denyPolicyCheckOf(
    read: ReadPolicies,
    clusterId: string,
    regionId: string,
): CheckResult {
    const title = checkTitles[checkIds.denyPolicy];
    const id = checkIds.denyPolicy;
    const attached: string[] = [];
    const unattached: string[] = [];
    const unreadable: string[] = [];
    for (const policy of read.policies) {
        const judged = clusterDenyVerdict(
            policy.document,
            updateKmsEncryptionAction,
            clusterId,
            regionId,
        );
        if (judged.verdict === "unreadable") {
            unreadable.push(`${policy.policyName} (${problemList(judged.problems)})`);
        } else if (judged.verdict === "denies") {
            // A Deny counts only where RAM says it is attached.
            (policy.attachmentCount !== undefined && policy.attachmentCount > 0
                ? attached
                : unattached
            ).push(policy.policyName);
        }
    }
    const readNote =
        read.total > read.policies.length
            ? ` (read ${read.policies.length} of ${read.total} custom policies)`
            : "";
    if (unreadable.length > 0) {
        // Fail closed: a document verify cannot read may hold the Deny, or only seem to.
        return {
            id,
            title,
            status: "fail",
            detail: `could not read custom ${unreadable.length === 1 ? "policy" : "policies"} ${unreadable.join(", ")}${readNote}`,
            fix: "Rewrite the document so it reads unambiguously (valid JSON without a byte-order mark, each key once, spelled as RAM spells it), then run verify again.",
        };
    }
    if (attached.length > 0) {
        return {
            id,
            title,
            status: "pass",
            detail: `${attached.join(", ")} denies it for this cluster and is attached${readNote}`,
        };
    }
    if (unattached.length > 0) {
        return {
            id,
            title,
            status: "fail",
            detail: `${unattached.join(", ")} denies it but is attached to no user, role or group${readNote}`,
            fix: "Attach it to the RAM users, roles or groups that operate the cluster (DenyKmsEncryptionUpdates does both).",
        };
    }
    return {
        id,
        title,
        status: "fail",
        detail: `no custom policy denies ${updateKmsEncryptionAction} on this cluster${readNote}`,
        fix: `Create and attach one without a Condition or NotResource: DenyKmsEncryptionUpdates (Pulumi), or a custom policy {"Effect":"Deny","Action":["${updateKmsEncryptionAction}"],"Resource":["*"]}.`,
    };
}
