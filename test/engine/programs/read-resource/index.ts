// A key read from the cloud (Key.get) and a cluster bound to it. The engine never sends a read
// resource to Analyze or Remediate, only to AnalyzeStack.
import * as alicloud from "@pulumi/alicloud";
import { boundCluster } from "../boundKey";

const key = alicloud.kms.Key.get("existing", "key-hzz65f2c9a1e0bxyz0001");
export const clusterId = boundCluster("prod", key.id).id;
