// The dynamic provider behind ExistingClusterEncryption: CS + KMS preflight, UpdateKMSEncryption,
// then a bounded wait until the cluster is running again (cloud/clusterEncryption.ts does the work).
//
// Pulumi writes a dynamic provider into the state as a serialized closure, with everything it
// captures. As KeyDeletionGuard's provider does, the object built by
// `createExistingClusterEncryptionProvider` captures only plain settings (module paths, timings);
// each method loads this module by path when it runs, and credentials are read from the
// environment then.

import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import {
    existingClusterEncryptionKind,
    keyIdOf,
    keyIdPattern,
    regionIdPattern,
} from "../../policy/facts";
import {
    ClusterNotFoundError,
    clusterNotFoundCode,
    disableClusterEncryption,
    EncryptionChangeContext,
    enableClusterEncryption,
    isSameKey,
} from "../../cloud/clusterEncryption";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import { createCsClient, describeCluster } from "../../cloud/cs";
import { CloudApiError } from "../../cloud/errors";
import { parseEndpoint } from "../../cloud/endpoints";
import { createKmsClient, parseKeyArn, parseKmsEndpoint } from "../../cloud/kms";

/** The dynamic resource's inputs. `kind` marks it for policies (facts.existingClusterEncryptionKind). */
export interface ExistingClusterEncryptionInputs {
    kind: string;
    clusterId: string;
    /** The key id or ARN, as the user gave it. */
    keyId: string;
    regionId: string;
    disableOnDelete: boolean;
    csEndpoint?: string;
    kmsEndpoint?: string;
}

export interface ExistingClusterEncryptionOutputs extends ExistingClusterEncryptionInputs {
    /** The key's id as KMS reports it. */
    kmsKeyId: string;
    keyArn: string;
    /** Encryption was already on with this key: this resource then never turns it off. */
    encryptionWasAlreadyOn: boolean;
    /** False after a refresh found encryption off or on another key; the next update turns it back on. */
    encryptedWithKey: boolean;
}

/** Plain settings captured in the serialized provider. Nothing secret may go here. */
export interface ExistingClusterEncryptionProviderSettings {
    /** Module paths this file can be loaded from at run time, tried in order. */
    moduleCandidates: string[];
    /** Connect and read timeout of each API request. */
    timeoutMs?: number;
    timing?: {
        pollIntervalMs?: number;
        maxConflictDelayMs?: number;
        conflictBudgetMs?: number;
        waitTimeoutMs?: number;
    };
}

export const providerPackageModule =
    "ack-kms/lib/components/providers/existingClusterEncryptionProvider";

/** The installed package first, then this file, then (source checkout) its compiled twin in lib/. */
export function providerModuleCandidates(): string[] {
    const self = __filename.replace(/\.(ts|js)$/, "");
    const candidates = [providerPackageModule, self];
    if (__filename.endsWith(".ts")) {
        const root = path.resolve(__dirname, "..", "..");
        candidates.push(path.join(root, "lib", path.relative(root, self)));
    }
    return candidates;
}

/** What a dynamic provider host receives for a value not known yet (preview); validation skips it. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const clusterIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Problems with the inputs, one message each; values not known yet are skipped. */
export function validateExistingClusterEncryptionInputs(
    inputs: Partial<Record<keyof ExistingClusterEncryptionInputs, unknown>>,
): string[] {
    const problems: string[] = [];
    const known = (value: unknown) => value !== unknownValue;
    const { clusterId, keyId, regionId, csEndpoint, kmsEndpoint } = inputs;
    if (known(clusterId) && (typeof clusterId !== "string" || !clusterIdPattern.test(clusterId))) {
        problems.push(
            `[clusterId] ${JSON.stringify(clusterId ?? "")} is not an ACK cluster id: give one such as c0123456789abcdef0123456789abcdef.`,
        );
    }
    if (known(keyId)) {
        const arn = typeof keyId === "string" ? parseKeyArn(keyId) : undefined;
        if (typeof keyId !== "string" || (!arn && !keyIdPattern.test(keyId))) {
            problems.push(
                `[keyId] ${JSON.stringify(keyId ?? "")} is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).`,
            );
        } else if (
            arn &&
            known(regionId) &&
            typeof regionId === "string" &&
            arn.regionId !== regionId
        ) {
            problems.push(
                `[keyId] "${keyId}" is a key in ${arn.regionId}, but [regionId] is "${regionId}": the key and the cluster must be in the same region.`,
            );
        }
    }
    if (known(regionId) && (typeof regionId !== "string" || !regionIdPattern.test(regionId))) {
        problems.push(
            `[regionId] ${JSON.stringify(regionId ?? "")} is not a region id: give one such as cn-hangzhou.`,
        );
    }
    const endpointProblem = (name: string, value: unknown, parse: (e: string) => unknown) => {
        if (value === undefined || !known(value)) {
            return;
        }
        try {
            parse(String(value));
        } catch (error) {
            problems.push((error as Error).message.replace(/^\[endpoint\]/, `[${name}]`));
        }
    };
    endpointProblem("csEndpoint", csEndpoint, parseEndpoint);
    endpointProblem("kmsEndpoint", kmsEndpoint, parseKmsEndpoint);
    return problems;
}

function assertValid(inputs: ExistingClusterEncryptionInputs): void {
    const problems = validateExistingClusterEncryptionInputs(inputs);
    if (problems.length > 0) {
        throw new Error(problems.join(" "));
    }
}

function pickInputs(raw: ExistingClusterEncryptionInputs): ExistingClusterEncryptionInputs {
    const inputs: ExistingClusterEncryptionInputs = {
        kind: existingClusterEncryptionKind,
        clusterId: raw.clusterId,
        keyId: raw.keyId,
        regionId: raw.regionId,
        disableOnDelete: raw.disableOnDelete === true,
    };
    if (raw.csEndpoint !== undefined) {
        inputs.csEndpoint = raw.csEndpoint;
    }
    if (raw.kmsEndpoint !== undefined) {
        inputs.kmsEndpoint = raw.kmsEndpoint;
    }
    return inputs;
}

/** Clients built now, from the environment's credentials, and progress sent to the Pulumi log. */
function contextFor(
    inputs: ExistingClusterEncryptionInputs,
    settings: ExistingClusterEncryptionProviderSettings,
): EncryptionChangeContext {
    const credentials = credentialsFromEnvironment(process.env);
    const common = { regionId: inputs.regionId, credentials, timeoutMs: settings.timeoutMs };
    return {
        cs: createCsClient({ ...common, endpoint: inputs.csEndpoint }),
        kms: createKmsClient({ ...common, endpoint: inputs.kmsEndpoint }),
        clusterId: inputs.clusterId,
        regionId: inputs.regionId,
        timing: settings.timing,
        log: (message) => void pulumi.log.info(message),
        warn: (message) => void pulumi.log.warn(message),
    };
}

export async function checkEncryption(
    _olds: unknown,
    news: ExistingClusterEncryptionInputs,
): Promise<pulumi.dynamic.CheckResult<ExistingClusterEncryptionInputs>> {
    const failures = validateExistingClusterEncryptionInputs(news).map((reason) => ({
        property: /^\[(\w+)\]/.exec(reason)?.[1] ?? "clusterId",
        reason,
    }));
    return {
        inputs: {
            ...news,
            kind: existingClusterEncryptionKind,
            disableOnDelete: news.disableOnDelete === true,
        },
        failures,
    };
}

/** Another cluster or region replaces the resource; another key moves encryption in place. */
export async function diffEncryption(
    _id: string,
    olds: ExistingClusterEncryptionOutputs,
    news: ExistingClusterEncryptionInputs,
): Promise<pulumi.dynamic.DiffResult> {
    const replaces = (["clusterId", "regionId"] as const).filter(
        (name) => olds[name] !== news[name],
    );
    const changed =
        olds.encryptedWithKey === false ||
        keyIdOf(olds.keyId) !== keyIdOf(news.keyId) ||
        (["disableOnDelete", "csEndpoint", "kmsEndpoint", "kind"] as const).some(
            (name) => (olds[name] ?? "") !== (news[name] ?? ""),
        );
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
}

export async function createEncryption(
    raw: ExistingClusterEncryptionInputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<pulumi.dynamic.CreateResult<ExistingClusterEncryptionOutputs>> {
    const inputs = pickInputs(raw);
    assertValid(inputs);
    const result = await enableClusterEncryption(contextFor(inputs, settings), inputs.keyId);
    const key = result.key!;
    return {
        id: inputs.clusterId,
        outs: {
            ...inputs,
            kmsKeyId: key.keyId,
            keyArn: key.arn,
            encryptionWasAlreadyOn: !result.changed,
            encryptedWithKey: true,
        },
    };
}

export async function updateEncryption(
    _id: string,
    olds: ExistingClusterEncryptionOutputs,
    raw: ExistingClusterEncryptionInputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<pulumi.dynamic.UpdateResult<ExistingClusterEncryptionOutputs>> {
    const inputs = pickInputs(raw);
    assertValid(inputs);
    if (
        isSameKey(inputs.keyId, { keyId: olds.kmsKeyId, arn: olds.keyArn }) &&
        olds.encryptedWithKey !== false
    ) {
        return { outs: { ...olds, ...inputs } };
    }
    const result = await enableClusterEncryption(contextFor(inputs, settings), inputs.keyId);
    const key = result.key!;
    return {
        outs: {
            ...inputs,
            kmsKeyId: key.keyId,
            keyArn: key.arn,
            // Moving to another key is this resource's doing, whatever the state before.
            encryptionWasAlreadyOn: olds.encryptionWasAlreadyOn && !result.changed,
            encryptedWithKey: true,
        },
    };
}

/**
 * `pulumi refresh`: notices encryption turned off, or moved to another key, outside the stack (the
 * next update turns it back on), and a cluster that is gone (the resource is then dropped).
 */
export async function readEncryption(
    id: string,
    props: ExistingClusterEncryptionOutputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<pulumi.dynamic.ReadResult<ExistingClusterEncryptionOutputs>> {
    const context = contextFor(props, settings);
    try {
        const cluster = await describeCluster(context.cs, props.clusterId);
        const encryptedWithKey =
            cluster.encryptionEnabled &&
            isSameKey(cluster.encryptionKeyId, { keyId: props.kmsKeyId, arn: props.keyArn });
        return { id, props: { ...props, encryptedWithKey } };
    } catch (error) {
        if (error instanceof CloudApiError && error.code === clusterNotFoundCode) {
            // An empty id tells the engine the resource no longer exists.
            return { id: "" };
        }
        throw error;
    }
}

/**
 * Leaves encryption on: turning it off is a decision, not a side effect of deleting a resource.
 * With `disableOnDelete`, turns it off, unless it was on before this resource (or the cluster is gone).
 */
export async function deleteEncryption(
    _id: string,
    props: ExistingClusterEncryptionOutputs,
    settings: ExistingClusterEncryptionProviderSettings,
): Promise<void> {
    if (!props.disableOnDelete) {
        void pulumi.log.info(
            `Secret encryption stays on for cluster ${props.clusterId} (set disableOnDelete: true to turn it off on delete).`,
        );
        return;
    }
    if (props.encryptionWasAlreadyOn) {
        void pulumi.log.warn(
            `Secret encryption stays on for cluster ${props.clusterId}: it was on before this resource managed it.`,
        );
        return;
    }
    try {
        await disableClusterEncryption(contextFor(props, settings));
    } catch (error) {
        if (!(error instanceof ClusterNotFoundError)) {
            throw error;
        }
    }
}

type EncryptionOperations = Pick<
    typeof import("./existingClusterEncryptionProvider"),
    | "checkEncryption"
    | "diffEncryption"
    | "createEncryption"
    | "readEncryption"
    | "updateEncryption"
    | "deleteEncryption"
>;

/**
 * The provider object Pulumi serializes into the state. It captures `settings` only, and loads
 * this module when a method runs (in the dynamic provider host, long after serialization).
 */
export function createExistingClusterEncryptionProvider(
    settings: ExistingClusterEncryptionProviderSettings,
): pulumi.dynamic.ResourceProvider {
    const load = (): EncryptionOperations => {
        const tried: string[] = [];
        for (const candidate of settings.moduleCandidates) {
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(candidate) as EncryptionOperations;
            } catch (error) {
                const notFound =
                    (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" &&
                    String((error as Error).message)
                        .split("\n")[0]
                        .includes(`'${candidate}'`);
                if (!notFound) {
                    throw error;
                }
                tried.push(candidate);
            }
        }
        throw new Error(
            `ExistingClusterEncryption cannot load its provider module (tried ${tried.join(", ")}): install ack-kms in the stack (npm install ack-kms), or run npm run build in an ack-kms checkout.`,
        );
    };
    return {
        check: (olds, news) => load().checkEncryption(olds, news),
        diff: (id, olds, news) => load().diffEncryption(id, olds, news),
        create: (inputs) => load().createEncryption(inputs, settings),
        read: (id, props) => load().readEncryption(id, props, settings),
        update: (id, olds, news) => load().updateEncryption(id, olds, news, settings),
        delete: (id, props) => load().deleteEncryption(id, props, settings),
    };
}
