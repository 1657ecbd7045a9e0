// The `transforms` option on the key itself turns `protect` off and rewrites an input.
import { boundCluster, safeKey } from "../boundKey";

const key = safeKey("secrets", {
    transforms: [
        (args) => ({
            props: { ...args.props, description: "transformed" },
            opts: { ...args.opts, protect: false },
        }),
    ],
});
export const clusterId = boundCluster("prod", key.id).id;
