// Whether a KMS instance keeps serving the keys in it: a subscription instance stops at once when it
// expires (and after its release the data its keys encrypted cannot be decrypted), so an instance
// holding a key bound to a cluster must renew automatically and must not be expired or about to
// expire. The one rule for `kms-instance-renews-while-bound` in the pack and for `ack-kms audit`.
//
// Fields: KMS GetKmsInstance gives `ChargeType` (PREPAY = subscription, POSTPAY = pay-as-you-go)
// and `EndDate`; the renewal setting is BSS's `RenewStatus` (QueryAvailableInstances), which the
// alicloud provider's `alicloud_kms_instance` exposes as `payment_type` and `renew_status`
// (AutoRenewal, ManualRenewal, NotRenewal). Fail closed: a subscription whose end date or renewal
// cannot be read is `unreadable`, never a pass.

/** The renewal setting that keeps a subscription instance alive. */
export const autoRenewal = "AutoRenewal";

/** Warn this many days ahead of an end date unless the caller sets its own. */
export const defaultExpiryWarningDays = 30;

export interface KmsInstanceBilling {
    /** `Subscription` / `PREPAY`, or `PayAsYouGo` / `POSTPAY`; undefined when not read. */
    paymentType?: string;
    /** `AutoRenewal`, `ManualRenewal` or `NotRenewal`; undefined when not read. */
    renewStatus?: string;
    /** ISO 8601 end of the subscription; undefined when not read. */
    endDate?: string;
}

export type KmsInstanceRenewalVerdict =
    | { verdict: "renews" }
    /** Pay-as-you-go instances have no end date. */
    | { verdict: "pay-as-you-go" }
    | { verdict: "expired"; endDate: string }
    | { verdict: "expiring"; endDate: string; daysLeft: number }
    | { verdict: "not-renewing"; renewStatus: string; endDate: string; daysLeft: number }
    | { verdict: "unreadable"; problems: string[] };

function paymentKind(paymentType: string | undefined): "subscription" | "payg" | undefined {
    const value = (paymentType ?? "").trim().toLowerCase();
    if (value === "subscription" || value === "prepay" || value === "prepaid") {
        return "subscription";
    }
    if (value === "payasyougo" || value === "postpay" || value === "postpaid") {
        return "payg";
    }
    return undefined;
}

/**
 * The verdict on an instance's billing at `now`. Expired wins over everything; a subscription
 * without auto-renewal is `expiring` within `warningDays` of its end and `not-renewing` before
 * that; with auto-renewal, less than a day left means the renewal failed (`expiring`).
 */
export function kmsInstanceRenewalVerdict(
    billing: KmsInstanceBilling,
    now: Date,
    warningDays: number = defaultExpiryWarningDays,
): KmsInstanceRenewalVerdict {
    const kind = paymentKind(billing.paymentType);
    if (kind === "payg") {
        return { verdict: "pay-as-you-go" };
    }
    const problems: string[] = [];
    if (kind === undefined) {
        problems.push(
            billing.paymentType === undefined
                ? "the payment type was not read"
                : `the payment type ${JSON.stringify(billing.paymentType)} is not Subscription or PayAsYouGo`,
        );
    }
    const end = billing.endDate === undefined ? NaN : Date.parse(billing.endDate);
    if (Number.isNaN(end)) {
        problems.push(
            billing.endDate === undefined
                ? "the end date was not read"
                : `the end date ${JSON.stringify(billing.endDate)} is not a time`,
        );
    }
    if (billing.renewStatus === undefined) {
        problems.push("the renewal setting was not read");
    }
    if (problems.length > 0) {
        return { verdict: "unreadable", problems };
    }
    const endDate = new Date(end).toISOString();
    const daysLeft = Math.floor((end - now.getTime()) / 86_400_000);
    if (end <= now.getTime()) {
        return { verdict: "expired", endDate };
    }
    if (billing.renewStatus !== autoRenewal) {
        return daysLeft <= warningDays
            ? { verdict: "expiring", endDate, daysLeft }
            : { verdict: "not-renewing", renewStatus: billing.renewStatus!, endDate, daysLeft };
    }
    if (daysLeft < 1) {
        // Auto-renewal is charged ahead of the end: less than a day left means it failed.
        return { verdict: "expiring", endDate, daysLeft };
    }
    return { verdict: "renews" };
}
