// The KMS steps KeyDeletionGuard's operations (./operations) share: a client for the guard's region,
// a DescribeKey that says what to do when the key is missing, and holding the key's deletion
// protection with a read-back; plus the redacted log through which they report what they found.

import * as pulumi from "@pulumi/pulumi";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import {
    createKmsClient,
    describeKey,
    isKeyNotFoundError,
    KeyMetadata,
    KmsClient,
    setDeletionProtection,
} from "../../cloud/kms";
import { addHolder } from "./holders";
import type { KeyDeletionGuardInputs } from "./inputs";
import type { KeyDeletionGuardProviderSettings } from "./settings";
import type { HoldOutcome } from "./state";

/** A KMS client for the guard's region, with credentials read from the environment at call time. */
export function kmsClientFor(
    inputs: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
): KmsClient {
    return createKmsClient({
        regionId: inputs.regionId,
        endpoint: inputs.endpoint,
        credentials: credentialsFromEnvironment(process.env),
        timeoutMs: settings.timeoutMs,
        retry: settings.retry,
    });
}

/** DescribeKey in the guard's region, with a not-found answer turned into a message users can act on. */
export async function describeKeyInRegion(
    client: KmsClient,
    inputs: KeyDeletionGuardInputs,
): Promise<KeyMetadata> {
    try {
        return await describeKey(client, inputs.keyId);
    } catch (error) {
        if (isKeyNotFoundError(error)) {
            throw new Error(
                `[keyId] "${inputs.keyId}" was not found in region ${inputs.regionId}: the key must exist and be in the cluster's region (KMS ${error.code}, RequestId: ${error.requestId ?? "none"}).`,
            );
        }
        throw error;
    }
}

/**
 * Makes sure protection is on and the key's holder list names this guard (`token`), starting from
 * `key` as just read. A description someone else set in their own words is left as it is. What is
 * written is read back, since another stack may write between a read and a write (KMS has no
 * conditional write); a lost entry is added again, three times at most.
 */
export async function holdProtection(
    client: KmsClient,
    key: KeyMetadata,
    token: string,
    entry: string,
    context: string,
): Promise<{ key: KeyMetadata; outcome: HoldOutcome }> {
    let current = key;
    for (let attempt = 0; attempt < 3; attempt++) {
        const protectionOn = current.deletionProtection === "Enabled";
        const outcome = addHolder(
            { protectionOn, description: current.deletionProtectionDescription },
            token,
            entry,
        );
        if (outcome.kind === "foreign") {
            return { key: current, outcome: "foreign" };
        }
        if (protectionOn && outcome.description === current.deletionProtectionDescription) {
            return { key: current, outcome: outcome.kind };
        }
        await setDeletionProtection(client, {
            keyArn: current.arn,
            enable: true,
            description: outcome.description,
        });
        current = await describeKey(client, current.arn);
        if (
            current.deletionProtection === "Enabled" &&
            current.deletionProtectionDescription === outcome.description
        ) {
            return { key: current, outcome: outcome.kind };
        }
    }
    throw new Error(
        `${context}: its deletion-protection description changed each time this guard wrote it (another stack writing at the same moment?): run the update again.`,
    );
}

/** The Pulumi log, with the program's secret inputs written as `[secret]`. */
export function guardLog(redact: (text: string) => string) {
    return {
        info: (message: string) => void pulumi.log.info(redact(message)),
        warn: (message: string) => void pulumi.log.warn(redact(message)),
    };
}

export type GuardLog = ReturnType<typeof guardLog>;

export function logHoldOutcome(log: GuardLog, outcome: HoldOutcome, key: KeyMetadata): void {
    if (outcome === "foreign") {
        log.info(
            `Deletion protection of KMS key ${key.keyId} was set by someone else: left as it is, and this guard will never turn it off.`,
        );
    } else if (outcome === "overflow") {
        log.warn(
            `The deletion-protection description of KMS key ${key.keyId} has no room for another holder: it now ends with "(more)", so no guard will ever turn protection off (turn it off by hand once no cluster uses the key).`,
        );
    }
}
