// Many flat resources: `count` RAM groups, no components, nothing for the stack policies to bind.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";

const count = new pulumi.Config().requireNumber("count");
for (let i = 0; i < count; i++) {
    new alicloud.ram.Group(`group-${i}`, {
        groupName: `bench-group-${i}`,
        comments: "bench/scale",
    });
}
