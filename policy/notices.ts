// Saying what a policy could not check because a value is unknown during preview, without failing
// the preview: a notice is always advisory, whatever the policy's enforcement level.
import { ReportViolation } from "@pulumi/policy";

/**
 * The object form of `reportViolation`. @pulumi/policy 1.21 accepts it (server.js,
 * makeReportViolationFun: `typeof message === "object"`), and its `enforcementLevel` replaces the
 * policy's; the type declarations only declare `(message, urn?)`. A policy configured "disabled" is
 * skipped by the SDK before it runs, so it reports no notice either.
 */
interface ViolationWithLevel {
    message: string;
    urn?: string;
    enforcementLevel: "advisory";
}

// The SDK makes one reportViolation per policy and request: notices repeat nothing within a run
// (a key bound to two clusters is still one notice).
const reported = new WeakMap<ReportViolation, Set<string>>();

/**
 * Reports, as an advisory notice, that `what` of `resource` (e.g. "deletionProtection",
 * "key secrets") could not be checked because it is unknown until the update. `urn` is the
 * resource's in a stack policy; a resource policy leaves it out (the SDK's resource is used).
 */
export function reportUncheckedInPreview(
    reportViolation: ReportViolation,
    what: string,
    resource: string,
    urn?: string,
): void {
    reportNotice(
        reportViolation,
        `Could not check ${what} of ${resource} during preview: it is unknown until the update; it is checked then.`,
        urn,
    );
}

/**
 * Reports an advisory notice, once per run and resource: something the pack did not check, said
 * instead of passed in silence.
 */
export function reportNotice(
    reportViolation: ReportViolation,
    message: string,
    urn?: string,
): void {
    const seen = reported.get(reportViolation) ?? new Set<string>();
    reported.set(reportViolation, seen);
    const key = `${urn ?? ""}\n${message}`;
    if (seen.has(key)) {
        return;
    }
    seen.add(key);
    const notice: ViolationWithLevel = { message, enforcementLevel: "advisory" };
    if (urn) {
        notice.urn = urn;
    }
    (reportViolation as unknown as (violation: ViolationWithLevel) => void)(notice);
}
