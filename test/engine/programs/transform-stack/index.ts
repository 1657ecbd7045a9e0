// A stack transform registered before any resource turns `protect` off on every KMS key: the
// bound key is then unprotected, which kms-key-deletion-protected-while-bound must catch.
import * as pulumi from "@pulumi/pulumi";
import { boundCluster, safeKey } from "../boundKey";

pulumi.runtime.registerResourceTransform((args) =>
    args.type === "alicloud:kms/key:Key"
        ? { props: args.props, opts: { ...args.opts, protect: false } }
        : undefined,
);

const key = safeKey("secrets");
export const clusterId = boundCluster("prod", key.id).id;
