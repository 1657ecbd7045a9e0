// kms-instance-renews-while-bound through the analyzer protocol, in update and preview form.
import * as assert from "assert";
import { resourceTypes } from "../../../policy/facts";
import { instanceRenewalOfInputs } from "../../../policy/kmsInstanceInputs";
import { renewalProblem } from "../../../policy/policies/kmsInstanceRenewsWhileBound";
import { cluster, key, previewNotice, resource, unknown, startedPack } from "../support/stack";

const policy = "kms-instance-renews-while-bound";

function instance(props: Record<string, unknown>) {
    return resource(resourceTypes.kmsInstance, "kms", {
        paymentType: "Subscription",
        renewStatus: "AutoRenewal",
        renewPeriod: 12,
        ...props,
    });
}

/** A key in the instance (linked through dkmsInstanceId) and a cluster bound to it. */
function stack(instanceProps: Record<string, unknown>) {
    const i = instance(instanceProps);
    const k = key(
        "secrets",
        { dkmsInstanceId: "kst-hzz6000" },
        {
            propertyDependencies: { dkmsInstanceId: [i.urn] },
        },
    );
    return { i, resources: [i, k, cluster("prod")] };
}

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const harness = startedPack();

    it("passes an instance that renews automatically, and a pay-as-you-go one", async () => {
        assert.deepStrictEqual(await harness.messages(policy, stack({}).resources), []);
        assert.deepStrictEqual(
            await harness.messages(
                policy,
                stack({ paymentType: "PayAsYouGo", renewStatus: "NotRenewal" }).resources,
            ),
            [],
        );
    });

    it("rejects a subscription renewed by hand, naming the cluster", async () => {
        const { i, resources } = stack({ renewStatus: "ManualRenewal" });
        assert.deepStrictEqual(await harness.messages(policy, resources), [
            [
                "Set renewStatus to AutoRenewal (with a renewPeriod) on this KMS instance instead of ManualRenewal: it holds the key of cluster prod, which stops decrypting Secrets when the subscription ends.",
                i.urn,
            ],
        ]);
    });

    it("takes an unset paymentType and renewStatus as a subscription renewed by hand", async () => {
        const { i, resources } = stack({ paymentType: undefined, renewStatus: undefined });
        const messages = await harness.messages(policy, resources);
        assert.strictEqual(messages.length, 1);
        assert.strictEqual(messages[0][1], i.urn);
        assert.match(messages[0][0], /instead of ManualRenewal/);
    });

    it("fails closed on a payment type it cannot read", async () => {
        const { i, resources } = stack({ paymentType: "Prepaid-ish" });
        assert.deepStrictEqual(await harness.messages(policy, resources), [
            [
                'Set paymentType to Subscription or PayAsYouGo on this KMS instance: the payment type "Prepaid-ish" is not Subscription or PayAsYouGo, so its renewal cannot be judged.',
                i.urn,
            ],
        ]);
    });

    it("gives the preview notice when renewStatus is unknown", async () => {
        const { i, resources } = stack({ renewStatus: unknown });
        const { violations } = await harness.run(resources);
        const mine = violations.filter((v) => v.policyName === policy);
        assert.deepStrictEqual(
            mine.map((v) => [v.message, v.urn, v.enforcementLevel]),
            [[previewNotice("renewStatus", "KMS instance kms"), i.urn, "advisory"]],
        );
    });

    it("ignores an instance no bound key is in", async () => {
        const i = instance({ renewStatus: "NotRenewal" });
        assert.deepStrictEqual(await harness.messages(policy, [i, key(), cluster("prod")]), []);
    });

    it("judges with the shared verdict (direct call)", () => {
        assert.deepStrictEqual(
            instanceRenewalOfInputs({ paymentType: "Subscription", renewStatus: "AutoRenewal" }),
            {
                verdict: { verdict: "renews" },
            },
        );
    });
    it("reports every verdict other than renews and pay-as-you-go (direct call)", () => {
        const label = "cluster prod";
        assert.strictEqual(renewalProblem({ verdict: "renews" }, label), undefined);
        assert.strictEqual(renewalProblem({ verdict: "pay-as-you-go" }, label), undefined);
        const endDate = "2026-01-01T00:00:00.000Z";
        for (const verdict of [
            { verdict: "expired" as const, endDate },
            { verdict: "expiring" as const, endDate, daysLeft: 3 },
            { verdict: "not-renewing" as const, renewStatus: "NotRenewal", endDate, daysLeft: 90 },
            { verdict: "unreadable" as const, problems: ["the payment type was not read"] },
        ]) {
            const problem = renewalProblem(verdict, label);
            assert.ok(problem, verdict.verdict);
            assert.match(problem, /on this KMS instance/, verdict.verdict);
        }
    });
});
