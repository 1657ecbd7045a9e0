// What valid EncryptedCluster args lead to: which cluster kind, whether and where the key is
// guarded, the re-encryption asked for, and the protections the caller turned off (for the
// warnings). Computed after validateClusterArgs found no problem.
import * as pulumi from "@pulumi/pulumi";
import { isKnown } from "../validation";
import type { EncryptedClusterArgs, ReencryptOnRotationOptions } from "./args";
import { ClusterArgName, clusterArgName, deletionProtectionValue } from "./cluster";
import { leavesKeyUnprotected } from "./denyEncryptionUpdates";
import { guardRegion, guardsKey } from "./key";
import { reencryptionOptions } from "./reencryption";

/** What validated args lead to. */
export interface EncryptedClusterPlan {
    kind: "managed" | "serverless";
    /** The argument prefix in messages: `cluster` or `serverless`. */
    argName: ClusterArgName;
    guardKey: boolean;
    /** The region of the key guard (with `guardKey`). */
    regionId?: pulumi.Input<string>;
    /** Protections the caller turned off, for the warnings. */
    weakened: Array<"deletionProtection" | "guardKey" | "protectKeys">;
    /** The SecretsReencryption options, when `reencryptOnRotation` asks for it. */
    reencryption?: ReencryptOnRotationOptions;
}

/** The region the alicloud provider uses by default: its config, then its environment variable. */
export function defaultRegion(): string | undefined {
    return new pulumi.Config("alicloud").get("region") ?? process.env.ALICLOUD_REGION;
}

/**
 * The plan for valid args. `configRegion` is the `alicloud:region` config (or the ALICLOUD_REGION
 * variable), used when `regionId` is not given.
 */
export function planCluster(
    args: EncryptedClusterArgs,
    configRegion: string | undefined,
): EncryptedClusterPlan {
    const argName = clusterArgName(args);
    const guardKey = guardsKey(args);
    const weakened: EncryptedClusterPlan["weakened"] = [];
    const deletionProtection = (args.cluster ?? args.serverless)?.deletionProtection;
    if (isKnown(deletionProtection) && deletionProtectionValue(deletionProtection) === false) {
        weakened.push("deletionProtection");
    }
    if (args.keyId !== undefined && args.guardKey === false) {
        weakened.push("guardKey");
    }
    if (leavesKeyUnprotected(args.denyEncryptionUpdates)) {
        weakened.push("protectKeys");
    }
    return {
        kind: argName === "cluster" ? "managed" : "serverless",
        argName,
        guardKey,
        regionId: guardKey ? guardRegion(args, configRegion) : undefined,
        weakened,
        reencryption: reencryptionOptions(args.reencryptOnRotation),
    };
}
