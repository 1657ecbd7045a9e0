// Applies a policy's waivers (its config's `waivers`, policy/waivers.ts) inside the pack, so the
// real Pulumi CLI and `ack-kms plan` see the same findings: the pack is the one place they act.
// - a finding a valid waiver covers is still reported, as advisory, its message prefixed
//   "Waived until <date> by <owner> (<reason>): " (plan's reports read that back and mark it);
// - an expired waiver fails the run (mandatory, whatever the policy's level) on every resource of
//   the stack it names, with a message naming it and its owner; waivers naming no resource of this
//   stack are left alone, so one config can serve many stacks;
// - a waiver the config schema let through but that is still invalid (2030-02-30) fails the run.
import {
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import {
    expiredWaiverMessage,
    expiredWaivers,
    findWaiver,
    parseWaivers,
    waivedMessage,
    Waiver,
    WaiverList,
    waiverNamesResource,
    waiversConfigSchema,
} from "./waivers";

type Level = "advisory" | "mandatory";
interface LevelledViolation {
    message: string;
    urn?: string;
    enforcementLevel?: Level;
}

/** The object form of reportViolation (see policy/notices.ts for why it exists). */
function reportObject(report: ReportViolation, violation: LevelledViolation): void {
    (report as unknown as (v: LevelledViolation) => void)(violation);
}

/** A reportViolation that turns findings covered by a waiver into advisory "waived" ones. */
function waivingReporter(
    policy: Policy,
    waivers: Waiver[],
    report: ReportViolation,
    defaultUrn: string | undefined,
    now: Date,
): ReportViolation {
    return ((message: string | LevelledViolation, urn?: string) => {
        const isObject = typeof message === "object";
        const target = isObject ? message.urn : urn;
        // The SDK words a string finding as "<description>\n<message>"; keep that wording.
        const text = isObject
            ? message.message
            : message
              ? `${policy.description}\n${message}`
              : policy.description;
        const found = findWaiver(waivers, { policy: policy.name, urn: target ?? defaultUrn }, now);
        if (!found || found.expired) {
            // An expired waiver's failure is reported on its own (expiredFailures).
            (report as unknown as (m: unknown, u?: string) => void)(message, urn);
            return;
        }
        reportObject(report, {
            message: waivedMessage(found.waiver, text),
            ...(target ? { urn: target } : {}),
            enforcementLevel: "advisory",
        });
    }) as ReportViolation;
}

// A resource policy runs once per resource with the same config: its waivers are read once per
// list (and policy, which entries may leave out), not once per resource.
const parsedWaivers = new WeakMap<object, Map<string, WaiverList>>();

/** parseWaivers of a policy's `waivers` config, once per list object. */
export function waiversOf(value: unknown, policy: string): WaiverList {
    if (value === null || typeof value !== "object") {
        return parseWaivers(value, { policy });
    }
    let byPolicy = parsedWaivers.get(value);
    if (!byPolicy) parsedWaivers.set(value, (byPolicy = new Map()));
    let list = byPolicy.get(policy);
    if (!list) byPolicy.set(policy, (list = parseWaivers(value, { policy })));
    return list;
}

function failures(
    policy: Policy,
    config: Record<string, unknown>,
    report: ReportViolation,
    resources: Array<{ urn: string; name: string }>,
    now: Date,
    urnOfProblems: string | undefined,
): Waiver[] {
    const { waivers, problems } = waiversOf(config.waivers, policy.name);
    for (const problem of problems) {
        reportObject(report, {
            message: `Fix the waiver in the config of ${policy.name}: ${problem}`,
            ...(urnOfProblems ? { urn: urnOfProblems } : {}),
            enforcementLevel: "mandatory",
        });
    }
    for (const waiver of expiredWaivers(waivers, now)) {
        for (const resource of resources) {
            if (waiverNamesResource(waiver, resource)) {
                reportObject(report, {
                    message: expiredWaiverMessage(waiver),
                    urn: resource.urn,
                    enforcementLevel: "mandatory",
                });
            }
        }
    }
    return waivers;
}

function withSchema<P extends Policy>(policy: P): P {
    return {
        ...policy,
        configSchema: {
            ...(policy.configSchema ?? {}),
            properties: {
                ...(policy.configSchema?.properties ?? {}),
                waivers: waiversConfigSchema,
            },
        },
    };
}

/** The policy with a `waivers` option applied around its validation. */
export function withWaivers(
    policy: ResourceValidationPolicy | StackValidationPolicy,
): ResourceValidationPolicy | StackValidationPolicy {
    if ("validateStack" in policy && policy.validateStack) {
        const validate = policy.validateStack;
        return withSchema<StackValidationPolicy>({
            ...policy,
            validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                const at = new Date();
                const config = args.getConfig<Record<string, unknown>>();
                const waivers = failures(policy, config, report, args.resources, at, undefined);
                return validate(args, waivingReporter(policy, waivers, report, undefined, at));
            },
        });
    }
    const resourcePolicy = policy as ResourceValidationPolicy;
    const validations = Array.isArray(resourcePolicy.validateResource)
        ? resourcePolicy.validateResource
        : [resourcePolicy.validateResource];
    return withSchema<ResourceValidationPolicy>({
        ...resourcePolicy,
        validateResource: async (args: ResourceValidationArgs, report: ReportViolation) => {
            const at = new Date();
            const config = args.getConfig<Record<string, unknown>>();
            const waivers = failures(policy, config, report, [args], at, args.urn);
            const waiving = waivingReporter(policy, waivers, report, args.urn, at);
            for (const validation of validations) {
                await validation?.(args, waiving);
            }
        },
    });
}
