// Components with children: `count` resources as one team component per 5 resources (a RAM group,
// a policy, its attachment, a user and the user's membership), nested under a platform component.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";

class Team extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("bench:scale:Team", name, {}, opts);
        const parent = { parent: this };
        const group = new alicloud.ram.Group(
            `${name}-group`,
            { groupName: `${name}-group` },
            parent,
        );
        const policy = new alicloud.ram.Policy(
            `${name}-policy`,
            {
                policyName: `${name}-read`,
                policyDocument: JSON.stringify({
                    Version: "1",
                    Statement: [{ Effect: "Allow", Action: ["ecs:Describe*"], Resource: ["*"] }],
                }),
            },
            parent,
        );
        new alicloud.ram.GroupPolicyAttachment(
            `${name}-attachment`,
            { groupName: group.groupName, policyName: policy.policyName, policyType: policy.type },
            parent,
        );
        const user = new alicloud.ram.User(`${name}-user`, { name: `${name}-user` }, parent);
        new alicloud.ram.GroupMembership(
            `${name}-membership`,
            { groupName: group.groupName, userNames: [user.name] },
            parent,
        );
        this.registerOutputs({});
    }
}

class Platform extends pulumi.ComponentResource {
    constructor(name: string, teams: number) {
        super("bench:scale:Platform", name, {});
        for (let i = 0; i < teams; i++) new Team(`team-${i}`, { parent: this });
        this.registerOutputs({});
    }
}

const count = new pulumi.Config().requireNumber("count");
new Platform("platform", Math.max(1, Math.round(count / 5)));
