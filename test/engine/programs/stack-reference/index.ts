// A cluster bound to the key another stack (organization/platform/prod) exports. The key is not in
// this stack, so kms-bound-key-present must ask for a guard or externalKeyIds.
import * as pulumi from "@pulumi/pulumi";
import { boundCluster } from "../boundKey";

const platform = new pulumi.StackReference("organization/platform/prod");
const keyId = platform.requireOutput("keyId") as pulumi.Output<string>;
export const clusterId = boundCluster("prod", keyId).id;
