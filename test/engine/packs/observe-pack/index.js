/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS pack, as users write them */
// Differential-suite fixture: reports, as advisory violations, what the engine sent, in a form
// that does not depend on ports or paths, so the real CLI and `ack-kms plan` can be compared.
const { PolicyPack } = require("@pulumi/policy");

const raw = (props) => props["__getSpecialProxyTarget"];

new PolicyPack("observe", {
    policies: [
        {
            name: "observe-key-inputs",
            description: "Reports the description and protect option a KMS key is analyzed with.",
            enforcementLevel: "advisory",
            validateResource: (args, reportViolation) => {
                if (args.type !== "alicloud:kms/key:Key") return;
                const props = raw(args.props);
                const provider = args.provider
                    ? `${args.provider.type} version=${raw(args.provider.props).version ?? "none"}`
                    : "no provider";
                reportViolation(
                    `description=${props.description} protect=${args.opts.protect} provider=${provider}`,
                );
            },
        },
        {
            name: "observe-stack-tags",
            description: "Reports the stack tags the engine sent.",
            enforcementLevel: "advisory",
            validateStack: (args, reportViolation) => {
                const tags = [...args.stackTags.entries()]
                    .filter(([k]) => !k.startsWith("vcs:"))
                    .map(([k, v]) => `${k}=${v}`)
                    .sort();
                reportViolation(`tags: ${tags.join(", ")}`);
            },
        },
    ],
});
