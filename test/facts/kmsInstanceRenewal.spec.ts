// policy/kmsInstanceRenewal.ts: the one rule on a KMS instance that must keep serving its keys.
import { strict as assert } from "assert";
import { kmsInstanceRenewalVerdict } from "../../policy/kmsInstanceRenewal";

const now = new Date("2026-03-01T12:00:00Z");
const subscription = (renewStatus: string, endDate: string) => ({
    paymentType: "PREPAY",
    renewStatus,
    endDate,
});

describe("kmsInstanceRenewalVerdict", () => {
    it("passes pay-as-you-go instances, in either spelling", () => {
        for (const paymentType of ["POSTPAY", "PayAsYouGo"]) {
            assert.deepEqual(kmsInstanceRenewalVerdict({ paymentType }, now), {
                verdict: "pay-as-you-go",
            });
        }
    });

    it("passes a subscription that renews automatically", () => {
        assert.deepEqual(
            kmsInstanceRenewalVerdict(subscription("AutoRenewal", "2026-04-01T00:00:00Z"), now),
            { verdict: "renews" },
        );
    });

    it("fails an expired instance even with auto-renewal", () => {
        assert.deepEqual(
            kmsInstanceRenewalVerdict(subscription("AutoRenewal", "2026-02-01T00:00:00Z"), now),
            { verdict: "expired", endDate: "2026-02-01T00:00:00.000Z" },
        );
    });

    it("fails an instance without auto-renewal, as expiring within the warning days", () => {
        assert.deepEqual(
            kmsInstanceRenewalVerdict(subscription("ManualRenewal", "2026-03-11T12:00:00Z"), now),
            { verdict: "expiring", endDate: "2026-03-11T12:00:00.000Z", daysLeft: 10 },
        );
        assert.deepEqual(
            kmsInstanceRenewalVerdict(subscription("NotRenewal", "2026-12-01T12:00:00Z"), now, 30),
            {
                verdict: "not-renewing",
                renewStatus: "NotRenewal",
                endDate: "2026-12-01T12:00:00.000Z",
                daysLeft: 275,
            },
        );
    });

    it("fails auto-renewal with less than a day left: the renewal did not happen", () => {
        assert.equal(
            kmsInstanceRenewalVerdict(subscription("AutoRenewal", "2026-03-02T06:00:00Z"), now)
                .verdict,
            "expiring",
        );
    });

    it("fails closed when a field was not read or makes no sense", () => {
        assert.deepEqual(kmsInstanceRenewalVerdict({}, now), {
            verdict: "unreadable",
            problems: [
                "the payment type was not read",
                "the end date was not read",
                "the renewal setting was not read",
            ],
        });
        assert.deepEqual(
            kmsInstanceRenewalVerdict(
                { paymentType: "Barter", renewStatus: "AutoRenewal", endDate: "soon" },
                now,
            ),
            {
                verdict: "unreadable",
                problems: [
                    'the payment type "Barter" is not Subscription or PayAsYouGo',
                    'the end date "soon" is not a time',
                ],
            },
        );
    });
});
