// The account's custom RAM policies, read once per audit and judged per bound key: which principals
// a policy lets disable the key, schedule its deletion, turn its protection off or replace its key
// policy, and which principals a Deny of those actions covers. Judged by policy/keyDestruction.ts;
// attachments come from ListEntitiesForPolicy, only for policies that grant or deny those actions.
// The system policies that grant them on every key (policy/facts.ts) count as grants, as in the pack.
import { keyDestructionActions, systemPoliciesGrantingKeyDestruction } from "../policy/facts";
import { keyDestructionVerdict, uncoveredDestruction } from "../policy/keyDestruction";
import { listEntitiesForPolicy, PolicyEntities } from "../cloud/ram";
import { RpcClient } from "../cloud/openApiCall";
import { withRetry } from "../cloud/retry";
import { mayBeAttached, type ReadPolicies } from "../cloud/verify/denyPolicyCheck";

export interface DestructionExposure {
    /** `user:alice` -> actions it can still take on the key, with the policies granting them. */
    uncovered: Array<{ principal: string; actions: string[]; grantedBy: string[] }>;
    /** Policies whose documents could not be read (fail closed: the key counts as exposed). */
    unreadable: string[];
    /** Attached (or maybe attached) policies past the read cap: they may grant the actions. */
    unreadAttached: string[];
}

function principalsOf(entities: PolicyEntities): string[] {
    return [
        ...entities.users.map((n) => `user:${n}`),
        ...entities.roles.map((n) => `role:${n}`),
        ...entities.groups.map((n) => `group:${n}`),
    ];
}

/** Judges bound keys against the account's policies, listing attachments on demand. */
export class AccountPolicies {
    private readonly entities = new Map<string, Promise<PolicyEntities>>();

    constructor(
        public readonly read: ReadPolicies,
        private readonly ram: RpcClient,
    ) {}

    private entitiesOf(policyName: string, policyType = "Custom"): Promise<PolicyEntities> {
        const key = `${policyType}:${policyName}`;
        let pending = this.entities.get(key);
        if (!pending) {
            pending = withRetry(() => listEntitiesForPolicy(this.ram, policyName, policyType));
            this.entities.set(key, pending);
        }
        return pending;
    }

    /** Who can still destroy or unprotect the key with the ARN `keyArn`, and what could not be read. */
    async exposureOf(keyArn: string): Promise<DestructionExposure> {
        const granted = new Map<string, { actions: Set<string>; by: Set<string> }>();
        const grant = (principal: string, actions: readonly string[], by: string) => {
            const entry = granted.get(principal) ?? { actions: new Set(), by: new Set() };
            actions.forEach((a) => entry.actions.add(a));
            entry.by.add(by);
            granted.set(principal, entry);
        };
        const denied = new Map<string, Set<string>>();
        const unreadable: string[] = [];
        for (const name of systemPoliciesGrantingKeyDestruction) {
            for (const principal of principalsOf(await this.entitiesOf(name, "System"))) {
                grant(principal, keyDestructionActions, name);
            }
        }
        for (const policy of this.read.policies) {
            const verdict = keyDestructionVerdict(policy.document, keyArn);
            if (verdict.verdict === "unreadable") {
                unreadable.push(policy.policyName);
                continue;
            }
            if (!mayBeAttached(policy)) {
                continue;
            }
            if (verdict.allows.length === 0 && verdict.denies.length === 0) {
                continue;
            }
            const principals = principalsOf(await this.entitiesOf(policy.policyName));
            for (const principal of principals) {
                if (verdict.allows.length > 0) grant(principal, verdict.allows, policy.policyName);
                const denies = denied.get(principal) ?? new Set<string>();
                verdict.denies.forEach((a) => denies.add(a));
                denied.set(principal, denies);
            }
        }
        const uncovered = [...granted.entries()]
            .map(([principal, entry]) => ({
                principal,
                actions: uncoveredDestruction(entry.actions, denied.get(principal) ?? []),
                grantedBy: [...entry.by].sort(),
            }))
            .filter((e) => e.actions.length > 0)
            .sort((a, b) => a.principal.localeCompare(b.principal));
        return { uncovered, unreadable, unreadAttached: this.read.unreadAttached };
    }
}
