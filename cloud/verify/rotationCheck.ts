// Does the cluster's key rotate automatically, as its key type allows? The shared rotation verdict
// (policy/verdicts/rotation.ts) decides; this words it.
import { defaultRotationInterval, keyTypeOf } from "../../policy/facts";
import { known } from "../../policy/verdicts/known";
import { judgeRotation } from "../../policy/verdicts/rotation";
import { KeyMetadata } from "../kms";
import { checkIds, CheckResult, checkTitles } from "./results";

export function rotationCheck(key: KeyMetadata): CheckResult {
    const title = checkTitles[checkIds.keyRotation];
    const id = checkIds.keyRotation;
    const judged = judgeRotation({
        keyType: known(keyTypeOf(key.protectionLevel, key.dkmsInstanceId)),
        automaticRotation: known(key.automaticRotation),
        rotationInterval: known(key.rotationInterval),
    });
    const fail = (detail: string, fix: string): CheckResult => ({
        id,
        title,
        status: "fail",
        detail: `${key.keyId} ${detail}`,
        fix,
    });
    switch (judged.verdict) {
        case "rotates":
            return {
                id,
                title,
                status: "pass",
                detail: `${key.keyId} rotates every ${key.rotationInterval}`,
            };
        case "cannotRotate":
            return {
                id,
                title,
                status: "warn",
                detail: `${key.keyId} is an HSM key, which KMS cannot rotate automatically`,
                fix: "Rotate it by hand on a schedule, then rewrite Secrets (SecretsReencryption).",
            };
        case "off":
            return fail(
                `has automatic rotation ${key.automaticRotation ?? "off"}`,
                `Turn it on: UpdateRotationPolicy with EnableAutomaticRotation=true and RotationInterval=${defaultRotationInterval}, or SecretsEncryptionKey's rotationInterval.`,
            );
        case "unreadable":
            return fail(
                key.rotationInterval
                    ? `has a rotation interval verify cannot read ("${key.rotationInterval}")`
                    : "has automatic rotation on but DescribeKey gave no rotation interval",
                `Set it again: UpdateRotationPolicy with RotationInterval=${defaultRotationInterval}, then run verify again.`,
            );
        case "tooShort":
            return fail(
                `rotates every ${key.rotationInterval}, shorter than its key type allows (${judged.minDays} days)`,
                `Set the rotation interval to ${judged.minDays}d to ${judged.maxDays}d.`,
            );
        case "tooLong":
            return fail(
                `rotates every ${key.rotationInterval}, longer than ${judged.maxDays} days`,
                `Shorten the rotation interval to ${defaultRotationInterval} or less.`,
            );
        default:
            // noFit and unknown cannot follow from known facts under the default maximum.
            return fail(
                "has a rotation verify cannot judge",
                "Check the key's rotation policy in the KMS console.",
            );
    }
}
