/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS pack, as users write them */
// Differential-suite fixture: a remediation another pack's Analyze must see, as the engine runs
// every pack's Remediate on a resource before any pack's Analyze.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("remediate", {
    policies: [
        {
            name: "remediate-key-description",
            description: "Gives every KMS key the description 'remediated'.",
            enforcementLevel: "remediate",
            remediateResource: (args) => {
                if (args.type !== "alicloud:kms/key:Key") return undefined;
                return { ...args.props, description: "remediated" };
            },
        },
    ],
});
