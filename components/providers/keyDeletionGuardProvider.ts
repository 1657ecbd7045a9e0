// The dynamic provider behind KeyDeletionGuard: KMS DescribeKey preflight, then SetDeletionProtection.
//
// Pulumi writes a dynamic provider into the state as a serialized closure, with everything it
// captures. So the provider object built by `createKeyDeletionGuardProvider` captures only plain
// settings (module paths, timeouts); at run time each method loads this module by path and calls the
// operations below, which reach KMS through cloud/ with credentials read from the environment then.

import type * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import {
    keyDeletionGuardKind,
    keyIdOf,
    keyIdPattern,
    parseKeyArn,
    regionIdPattern,
} from "../../policy/facts";
import { credentialsFromEnvironment } from "../../cloud/credentials";
import { assertKeyFitForSecrets } from "../../cloud/keyChecks";
import {
    createKmsClient,
    describeKey,
    isKeyNotFoundError,
    KeyMetadata,
    KmsClient,
    parseKmsEndpoint,
    setDeletionProtection,
} from "../../cloud/kms";

/** The dynamic resource's inputs. `kind` marks it for policies (facts.keyDeletionGuardKind). */
export interface KeyDeletionGuardInputs {
    kind: string;
    /** The key id or ARN, as the user gave it. */
    keyId: string;
    regionId: string;
    boundTo: string;
    endpoint?: string;
}

export interface KeyDeletionGuardOutputs extends KeyDeletionGuardInputs {
    /** The key's id as KMS reports it (also when `keyId` was an ARN). */
    kmsKeyId: string;
    keyArn: string;
    /** Protection was on before this guard: the guard then never turns it off. */
    protectionWasAlreadyOn: boolean;
    /** The description this guard wrote with the protection (empty when it wrote none). */
    protectionDescription: string;
}

/** Plain settings captured in the serialized provider. Nothing secret may go here. */
export interface KeyDeletionGuardProviderSettings {
    /** Module paths this file can be loaded from at run time, tried in order. */
    moduleCandidates: string[];
    /** Connect and read timeout of each KMS request. */
    timeoutMs?: number;
    retry?: {
        maxAttempts?: number;
        maxElapsedMs?: number;
        baseDelayMs?: number;
        maxDelayMs?: number;
    };
}

/** The package path a stack that installed ack-kms resolves this module by. */
export const providerPackageModule = "ack-kms/lib/components/providers/keyDeletionGuardProvider";

/**
 * Where the dynamic provider host can load this module: the installed package first, then this
 * very file (the TypeScript source under ts-node, or lib/ once built), then, for a source
 * checkout, its compiled twin under lib/ (the provider host runs plain Node, without ts-node).
 */
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
export const maxBoundToLength = 128;

/** The deletion-protection description shown in the KMS console. */
export function guardDescription(boundTo: string): string {
    return `Protected by ack-kms KeyDeletionGuard: encrypts the Kubernetes Secrets of ${boundTo}. Deleting or disabling this key breaks that cluster's API server.`;
}

/** Problems with the guard's inputs, one message each; values not known yet are skipped. */
export function validateKeyDeletionGuardInputs(inputs: Partial<KeyDeletionGuardInputs>): string[] {
    const problems: string[] = [];
    const known = (value: unknown): value is string => value !== unknownValue;
    const { keyId, regionId, boundTo, endpoint } = inputs;
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
    if (known(boundTo)) {
        if (typeof boundTo !== "string" || boundTo.trim() === "") {
            problems.push(
                `[boundTo] ${JSON.stringify(boundTo ?? "")} is empty: name what the key protects, such as the cluster name.`,
            );
        } else if (boundTo.length > maxBoundToLength) {
            problems.push(
                `[boundTo] "${boundTo.slice(0, 20)}..." is ${boundTo.length} characters long: at most ${maxBoundToLength} are allowed.`,
            );
        }
    }
    if (endpoint !== undefined && known(endpoint)) {
        try {
            parseKmsEndpoint(endpoint);
        } catch (error) {
            problems.push((error as Error).message);
        }
    }
    return problems;
}

function assertValid(inputs: KeyDeletionGuardInputs): void {
    const problems = validateKeyDeletionGuardInputs(inputs);
    if (problems.length > 0) {
        throw new Error(problems.join(" "));
    }
}

function kmsClientFor(
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
async function describeKeyInRegion(
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

function pickInputs(raw: KeyDeletionGuardInputs): KeyDeletionGuardInputs {
    const inputs: KeyDeletionGuardInputs = {
        kind: keyDeletionGuardKind,
        keyId: raw.keyId,
        regionId: raw.regionId,
        boundTo: raw.boundTo,
    };
    if (raw.endpoint !== undefined) {
        inputs.endpoint = raw.endpoint;
    }
    return inputs;
}

export async function checkGuard(
    _olds: unknown,
    news: KeyDeletionGuardInputs,
): Promise<pulumi.dynamic.CheckResult<KeyDeletionGuardInputs>> {
    const failures = validateKeyDeletionGuardInputs(news).map((reason) => ({
        property: /^\[(\w+)\]/.exec(reason)?.[1] ?? "keyId",
        reason,
    }));
    return { inputs: { ...news, kind: keyDeletionGuardKind }, failures };
}

/** A different key or region replaces the guard; a new binding or endpoint is changed in place. */
export async function diffGuard(
    _id: string,
    olds: KeyDeletionGuardOutputs,
    news: KeyDeletionGuardInputs,
): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    // `key-1` and its ARN are the same key: no replacement.
    if (keyIdOf(olds.keyId) !== keyIdOf(news.keyId)) {
        replaces.push("keyId");
    }
    if (olds.regionId !== news.regionId) {
        replaces.push("regionId");
    }
    const changed = (["keyId", "boundTo", "endpoint", "kind"] as const).some(
        (name) => (olds[name] ?? "") !== (news[name] ?? ""),
    );
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
}

export async function createGuard(
    raw: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<pulumi.dynamic.CreateResult<KeyDeletionGuardOutputs>> {
    const inputs = pickInputs(raw);
    assertValid(inputs);
    const client = kmsClientFor(inputs, settings);
    const key = await describeKeyInRegion(client, inputs);
    assertKeyFitForSecrets(key, `[keyId] "${inputs.keyId}" in ${inputs.regionId}`);
    const protectionWasAlreadyOn = key.deletionProtection === "Enabled";
    let protectionDescription = "";
    if (!protectionWasAlreadyOn) {
        // Someone else's protection (and its description) is left as it is.
        protectionDescription = guardDescription(inputs.boundTo);
        await setDeletionProtection(client, {
            keyArn: key.arn,
            enable: true,
            description: protectionDescription,
        });
    }
    return {
        id: key.arn,
        outs: {
            ...inputs,
            kmsKeyId: key.keyId,
            keyArn: key.arn,
            protectionWasAlreadyOn,
            protectionDescription,
        },
    };
}

export async function updateGuard(
    _id: string,
    olds: KeyDeletionGuardOutputs,
    raw: KeyDeletionGuardInputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<pulumi.dynamic.UpdateResult<KeyDeletionGuardOutputs>> {
    const inputs = pickInputs(raw);
    assertValid(inputs);
    let protectionDescription = olds.protectionDescription;
    const description = guardDescription(inputs.boundTo);
    if (!olds.protectionWasAlreadyOn && description !== olds.protectionDescription) {
        await setDeletionProtection(kmsClientFor(inputs, settings), {
            keyArn: olds.keyArn,
            enable: true,
            description,
        });
        protectionDescription = description;
    }
    return {
        outs: {
            ...inputs,
            kmsKeyId: olds.kmsKeyId,
            keyArn: olds.keyArn,
            protectionWasAlreadyOn: olds.protectionWasAlreadyOn,
            protectionDescription,
        },
    };
}

/** Turns protection off only if this guard turned it on; a key already gone needs nothing. */
export async function deleteGuard(
    _id: string,
    props: KeyDeletionGuardOutputs,
    settings: KeyDeletionGuardProviderSettings,
): Promise<void> {
    if (props.protectionWasAlreadyOn) {
        return;
    }
    try {
        await setDeletionProtection(kmsClientFor(props, settings), {
            keyArn: props.keyArn,
            enable: false,
        });
    } catch (error) {
        if (!isKeyNotFoundError(error)) {
            throw error;
        }
    }
}

type GuardOperations = Pick<
    typeof import("./keyDeletionGuardProvider"),
    "checkGuard" | "diffGuard" | "createGuard" | "updateGuard" | "deleteGuard"
>;

/**
 * The provider object Pulumi serializes into the state. It captures `settings` only, and loads
 * this module when a method runs (in the dynamic provider host, long after serialization).
 */
export function createKeyDeletionGuardProvider(
    settings: KeyDeletionGuardProviderSettings,
): pulumi.dynamic.ResourceProvider {
    const load = (): GuardOperations => {
        const tried: string[] = [];
        for (const candidate of settings.moduleCandidates) {
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(candidate) as GuardOperations;
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
            `KeyDeletionGuard cannot load its provider module (tried ${tried.join(", ")}): install ack-kms in the stack (npm install ack-kms), or run npm run build in an ack-kms checkout.`,
        );
    };
    return {
        check: async (olds, news) => load().checkGuard(olds, news),
        diff: async (id, olds, news) => load().diffGuard(id, olds, news),
        create: async (inputs) => load().createGuard(inputs, settings),
        update: async (id, olds, news) => load().updateGuard(id, olds, news, settings),
        delete: async (id, props) => load().deleteGuard(id, props, settings),
    };
}
