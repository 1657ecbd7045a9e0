// An explicit provider: Analyze gets its inputs, `version` among them, as the provider's props.
import * as alicloud from "@pulumi/alicloud";
import { boundCluster, safeKey } from "../boundKey";

const provider = new alicloud.Provider("hangzhou", { region: "cn-hangzhou" });
const key = safeKey("secrets", { provider });
export const clusterId = boundCluster("prod", key.id, { provider }).id;
