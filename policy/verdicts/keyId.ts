// Is a value a KMS key id or key ARN that ACK and KMS take? Judged once here; EncryptedCluster's
// keyId, KeyDeletionGuard's and ExistingClusterEncryption's inputs and the pack's
// ack-secret-encryption-enabled word it. Before, the providers took any ARN whatever its key id part
// held while the components and the pack checked that part too: the components' rule was right (KMS
// takes the key id, and `acs:kms:...:key/not a key` names none).
import { keyIdOf, keyIdPattern, KeyArnParts, parseKeyArn } from "../facts";

/** Longest key id or ARN taken (ids are about 30 characters, ARNs about 80). */
export const maxKeyIdLength = 256;

export type KeyIdVerdict =
    | { verdict: "keyId"; keyId: string; arn?: KeyArnParts }
    /** Not a string, too long, or neither a key id nor an ARN ending in one. */
    | { verdict: "notKeyId"; value: unknown };

export function judgeKeyId(value: unknown): KeyIdVerdict {
    if (typeof value !== "string" || value.length > maxKeyIdLength) {
        return { verdict: "notKeyId", value };
    }
    const keyId = keyIdOf(value);
    if (!keyIdPattern.test(keyId)) {
        return { verdict: "notKeyId", value };
    }
    const arn = parseKeyArn(value);
    return arn ? { verdict: "keyId", keyId, arn } : { verdict: "keyId", keyId };
}
