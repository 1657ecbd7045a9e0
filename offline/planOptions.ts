// What `ack-kms plan` is asked to do: cli/plan.ts builds these options from its flags.
import type { PlanMode } from "./program/runProgram";

export type PlanFormat = "text" | "json" | "sarif";

export interface PlanOptions {
    programDir: string;
    stack: string;
    config: string[];
    policyPack: string[];
    policyConfig: string[];
    /** undefined: preview, or update when --state-out is given. */
    mode?: PlanMode;
    format: PlanFormat;
    graph?: string;
    stateOut?: string;
    quiet: boolean;
    mocks?: string;
    /** Compile the program's TypeScript without type-checking it. */
    transpileOnly?: boolean;
    organization?: string;
    /** `key=value` stack tags sent to policy packs, as a backend sends the stack's tags. */
    tag?: string[];
    /** `org/project/stack=outputs.json`: what a StackReference to that stack reads. */
    stackReference?: string[];
    /** How long the program, and each pack once the resources are known, may run: "90s", "10m". */
    timeout?: string;
    /** Fail (exit 2) when the program registers no resource besides the stack. */
    requireResources?: boolean;
}

/** --timeout when none is given. */
export const defaultTimeout = "10m";
