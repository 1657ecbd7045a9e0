// A cluster a Deny must apply to, as the RAM judgements see it.
import { Known } from "../known";

export interface ClusterTarget {
    /** The resource that binds the cluster (the cluster, or an ExistingClusterEncryption). */
    urn: string;
    /** The cluster id when known (an external cluster's); clusters of the stack have none here. */
    clusterId?: string;
    regionId?: string;
    /** The cluster's resource group, for Resource Manager attachments scoped to one. */
    resourceGroupId: Known<string | undefined>;
}
