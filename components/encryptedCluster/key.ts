// The key an EncryptedCluster encrypts Secrets with: a new SecretsEncryptionKey by default (from
// `key`, or with the safe defaults when neither `key` nor `keyId` is given), or an existing key
// (`keyId`), guarded by a KeyDeletionGuard in the cluster's region unless `guardKey` is false.
import * as pulumi from "@pulumi/pulumi";
import * as facts from "../../policy/facts";
import { judgeKeyId } from "../../policy/verdicts/keyId";
import { KeyDeletionGuard } from "../keyDeletionGuard";
import { guardedKeyProblems } from "../keyDeletionGuard/inputs";
import { notAKeyIdHint, regionIdProblems } from "../providers/inputChecks";
import { SecretsEncryptionKey, validateKeyArgs } from "../secretsEncryptionKey";
import {
    booleanProblem,
    checkInput,
    invalid,
    isKnown,
    objectArgProblem,
    prefixArgs,
    problemList,
} from "../validation";
import type { EncryptedClusterArgs } from "./args";

/** Checks an existing key id or ARN (the shared verdict); returns the problem, if any. */
export function keyIdProblem(keyId: unknown): string | undefined {
    return judgeKeyId(keyId).verdict === "notKeyId"
        ? invalid("keyId", keyId, notAKeyIdHint)
        : undefined;
}

/** Whether the args ask for a guard on an existing key. */
export function guardsKey(args: EncryptedClusterArgs): boolean {
    return args.keyId !== undefined && args.guardKey !== false;
}

/**
 * The region the key guard works in: `regionId`, else `configRegion` (the `alicloud:region`
 * config or the ALICLOUD_REGION variable).
 */
export function guardRegion(
    args: EncryptedClusterArgs,
    configRegion: string | undefined,
): pulumi.Input<string> | undefined {
    return args.regionId ?? configRegion;
}

/**
 * The problems with the key choice: `key` (the child's own checks, named from the cluster's
 * view) or `keyId`, `guardKey` and the region the guard needs.
 */
export function keyChoiceProblems(
    args: EncryptedClusterArgs,
    configRegion: string | undefined,
): string[] {
    const keyShape = objectArgProblem("key", args.key, "SecretsEncryptionKey args (an object)");
    return problemList([
        keyShape,
        booleanProblem("guardKey", args.guardKey),
        args.key !== undefined && args.keyId !== undefined
            ? "[key, keyId] both are set: pass key to create a new key or keyId to use an existing one."
            : undefined,
        args.guardKey === true && args.keyId === undefined
            ? "[guardKey] true applies only with keyId: a key made from key already has deletion protection on and protect: true."
            : undefined,
        // The child checks its args too, but only once this component is registered: checking
        // here fails the program before anything is sent to the engine.
        ...(args.key !== undefined && keyShape === undefined
            ? validateKeyArgs(args.key).map((problem) => prefixArgs("key", problem))
            : []),
        args.regionId === null
            ? invalid(
                  "regionId",
                  null,
                  'is not a region id: give one such as "cn-hangzhou", or omit regionId for the alicloud:region config.',
              )
            : undefined,
        ...keyIdAndRegionProblems(args, configRegion),
    ]);
}

/** `keyId` and `regionId`: with a guard, as the guard checks them, once a region is known. */
function keyIdAndRegionProblems(
    args: EncryptedClusterArgs,
    configRegion: string | undefined,
): Array<string | undefined> {
    const givenKeyIdProblem =
        args.keyId !== undefined && isKnown(args.keyId) ? keyIdProblem(args.keyId) : undefined;
    if (!guardsKey(args)) {
        const regionId = args.regionId;
        return [
            givenKeyIdProblem,
            regionId !== undefined && regionId !== null && isKnown(regionId)
                ? regionIdProblems(regionId)[0]
                : undefined,
        ];
    }
    const regionId = guardRegion(args, configRegion);
    if (regionId === undefined) {
        return [
            givenKeyIdProblem,
            '[regionId] is missing and so is the alicloud:region config: the key guard needs the region of the key and the cluster, e.g. "cn-hangzhou".',
        ];
    }
    // The guard's own check of its key and region (also an ARN of a key in another region).
    return guardedKeyProblems(args.keyId, regionId);
}

/** The key a cluster is bound to, and the resources that make or guard it. */
export interface BoundKey {
    keyId: pulumi.Output<string>;
    /** The new key (without `keyId`). */
    key?: SecretsEncryptionKey;
    /** The guard on an existing key (with `keyId`, unless `guardKey: false`). */
    guard?: KeyDeletionGuard;
}

/**
 * Makes the new key or checks the existing one (valid args, see keyChoiceProblems). `boundTo`
 * names the cluster in the key's deletion-protection description.
 */
export function bindKey(
    name: string,
    args: EncryptedClusterArgs,
    guardRegionId: pulumi.Input<string> | undefined,
    boundTo: pulumi.Input<string>,
    parent: pulumi.Resource,
): BoundKey {
    if (args.keyId === undefined) {
        // Neither key nor keyId: a new key with the safe defaults.
        const keyArgs = args.key ?? {};
        const key = new SecretsEncryptionKey(
            `${name}-key`,
            { ...keyArgs, boundTo: keyArgs.boundTo ?? boundTo },
            { parent },
        );
        return { keyId: key.keyId, key };
    }
    const given = args.keyId;
    const keyId = checkInput(given, keyIdProblem, parent).apply(facts.keyIdOf);
    if (guardRegionId === undefined) {
        return { keyId };
    }
    // Checked before the cluster: a disabled, deleted or wrong-region key fails in seconds
    // instead of after a ten-minute cluster create.
    const guard = new KeyDeletionGuard(
        `${name}-key-guard`,
        { keyId: given, regionId: guardRegionId, boundTo },
        { parent },
    );
    return { keyId, guard };
}
