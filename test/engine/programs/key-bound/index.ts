import { boundCluster, safeKey } from "../boundKey";

const key = safeKey("secrets");
export const clusterId = boundCluster("prod", key.id).id;
