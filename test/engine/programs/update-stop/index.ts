// pulumi up stops at the first resource with a mandatory violation: `second` waits for `first`,
// so the order is fixed, and neither `second` nor the stack policies are ever analyzed.
import * as alicloud from "@pulumi/alicloud";

const first = new alicloud.ram.Policy("first", {
    policyName: "CsAdmin",
    policyDocument: JSON.stringify({
        Version: "1",
        Statement: [{ Effect: "Allow", Action: ["cs:*"], Resource: ["*"] }],
    }),
});

new alicloud.cs.ManagedKubernetes(
    "second",
    { name: "second", clusterSpec: "ack.standard", vswitchIds: ["vsw-a0001"] },
    { dependsOn: [first] },
);
