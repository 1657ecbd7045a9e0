// An invoke transform rewrites the argument of a data source; the key's description is built from
// the data source's result, so a pack sees whether the transform ran.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { boundCluster, safeKey } from "../boundKey";

pulumi.runtime.registerInvokeTransform((args) =>
    args.token === "alicloud:index/getZones:getZones"
        ? { args: { ...args.args, availableResourceCreation: "Instance" }, opts: args.opts }
        : undefined,
);

const zones = alicloud.getZonesOutput({ availableResourceCreation: "VSwitch" });
const key = safeKey("secrets", {
    transforms: [
        (args) => ({
            props: {
                ...args.props,
                description: zones.apply((z) => `zones for ${z.availableResourceCreation}`),
            },
            opts: args.opts,
        }),
    ],
});
export const clusterId = boundCluster("prod", key.id).id;
