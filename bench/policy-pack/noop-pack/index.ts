// The benchmark's baseline: one resource policy and one stack policy that look at nothing, so the
// measured time is the SDK and protocol cost alone.
import { PolicyPack } from "@pulumi/policy";

new PolicyPack("ack-kms-bench-noop", {
    policies: [
        {
            name: "noop-resource",
            description: "Looks at every resource and reports nothing.",
            enforcementLevel: "advisory",
            validateResource: () => undefined,
        },
        {
            name: "noop-stack",
            description: "Looks at the stack and reports nothing.",
            enforcementLevel: "advisory",
            validateStack: () => undefined,
        },
    ],
});
