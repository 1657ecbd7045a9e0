// A local KMS (API version 2016-01-20) that speaks the RPC protocol @alicloud/kms20160120 sends:
// signed query-string requests over HTTP, JSON answers, and errors in KMS's shape. It holds real
// key material (AES-256-GCM per key version), counts calls per action and injects faults on demand.
// Loopback only: it listens on 127.0.0.1 on a random port.
// Longer than 400 lines because it is one service: every action reads and writes the same keys,
// versions, policies, instances, faults and call log, and each action is a few lines.

import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from "crypto";
import { createServer, IncomingMessage, Server, ServerResponse } from "http";
import { AddressInfo } from "net";
import { parse as parseQueryString } from "querystring";
import { verifyRpcSignature } from "./signatures";

export const kmsApiVersion = "2016-01-20";

export interface EmulatorAccessKey {
    accessKeyId: string;
    accessKeySecret: string;
    /** When set, requests with this key must carry this SecurityToken (STS credentials). */
    securityToken?: string;
}

export interface KmsEmulatorOptions {
    regionId?: string;
    accountId?: string;
    accessKeys?: EmulatorAccessKey[];
}

export interface EmulatedKeyVersion {
    keyVersionId: string;
    material: Buffer;
    creationDate: string;
}

export interface EmulatedKey {
    keyId: string;
    arn: string;
    keyState: "Enabled" | "Disabled" | "PendingDeletion" | string;
    keySpec: string;
    keyUsage: string;
    protectionLevel: string;
    origin: string;
    creator: string;
    description: string;
    creationDate: string;
    deletionProtection: "Enabled" | "Disabled";
    deletionProtectionDescription?: string;
    automaticRotation: "Enabled" | "Disabled";
    rotationInterval?: string;
    dkmsInstanceId?: string;
    deleteDate?: string;
    versions: EmulatedKeyVersion[];
}

/** A KMS instance as GetKmsInstance reports it (ChargeType PREPAY or POSTPAY). */
export interface EmulatedKmsInstance {
    instanceId: string;
    chargeType: "PREPAY" | "POSTPAY";
    endDate?: string;
    status: string;
}

/** A key to put in the emulator directly, as if created in the console. */
export type SeedKey = Partial<Omit<EmulatedKey, "versions" | "arn">> & { keyId?: string };

export type FaultKind =
    /** KMS's throttling answer: 400 Rejected.Throttling. */
    | "throttle"
    /** 500 InternalFailure. */
    | "internalFailure"
    /** 503 ServiceUnavailableTemporary. */
    | "serviceUnavailable"
    /** A gateway page that is not JSON (502). */
    | "badGateway"
    /** Waits `delayMs` before answering normally, to run past the client's read timeout. */
    | "delay"
    /** Closes the connection without answering. */
    | "drop";

export interface FaultSpec {
    kind: FaultKind;
    /** How many matching requests get the fault. Defaults to 1. */
    times?: number;
    /** Only requests for this action. Defaults to every action. */
    action?: string;
    /** For "delay". Defaults to 2000 ms. */
    delayMs?: number;
}

export interface RecordedCall {
    action: string;
    parameters: Record<string, string>;
    /** The HTTP status answered, or "dropped". */
    outcome: number | "dropped";
    fault?: FaultKind;
}

class KmsFailure extends Error {
    constructor(
        public readonly statusCode: number,
        public readonly code: string,
        message: string,
    ) {
        super(message);
    }
}

const keyNotFound = () =>
    new KmsFailure(404, "Forbidden.KeyNotFound", "The specified Key is not found.");
const invalidParameter = (name: string) =>
    new KmsFailure(400, "InvalidParameter", `The specified parameter "${name}" is not valid.`);
const missingParameter = (name: string) =>
    new KmsFailure(
        400,
        "MissingParameter",
        `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    );

/**
 * Codes of the emulator's refusals. Documented by KMS (API reference and common error codes):
 * Forbidden.KeyNotFound (404), InternalFailure (500), ServiceUnavailableTemporary (503),
 * InvalidAccessKeyId.NotFound (404); Rejected.Throttling ("QPS Limit Exceeded") and
 * Rejected.Disabled come from KMS clients' error tables. The code for ScheduleKeyDeletion on a
 * protected key is not in the published tables we could read: `keyProtected` is a stand-in, and
 * nothing in ack-kms depends on its exact value.
 */
export const kmsEmulatorCodes = {
    keyNotFound: "Forbidden.KeyNotFound",
    throttling: "Rejected.Throttling",
    internalFailure: "InternalFailure",
    serviceUnavailable: "ServiceUnavailableTemporary",
    /** ScheduleKeyDeletion on a key with deletion protection on (stand-in, see above). */
    keyProtected: "Forbidden.ResourceProtected",
    keyNotEnabled: "Rejected.Disabled",
    invalidCiphertext: "InvalidCiphertext",
    signatureDoesNotMatch: "SignatureDoesNotMatch",
    accessKeyNotFound: "InvalidAccessKeyId.NotFound",
} as const;

const blobMagic = Buffer.from("EKMS");

function isoSeconds(date: Date): string {
    return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class KmsEmulator {
    public readonly regionId: string;
    public readonly accountId: string;
    private readonly accessKeys = new Map<string, EmulatorAccessKey>();
    private readonly keys = new Map<string, EmulatedKey>();
    /** Key policies (GetKeyPolicy) by key id; keys of a KMS instance have one. */
    public readonly keyPolicies = new Map<string, string>();
    /** KMS instances (GetKmsInstance) by instance id. */
    public readonly instances = new Map<string, EmulatedKmsInstance>();
    /** KeyMetadata fields DescribeKey leaves out, to test answers that lack one. */
    public readonly omittedMetadata = new Set<string>();
    private readonly faults: Array<Required<Omit<FaultSpec, "action">> & { action?: string }> = [];
    private readonly usedNonces = new Set<string>();
    private readonly recorded: RecordedCall[] = [];
    private readonly afterHooks: Array<{ action: string; times: number; run: () => void }> = [];
    private server?: Server;
    private port = 0;

    constructor(options: KmsEmulatorOptions = {}) {
        this.regionId = options.regionId ?? "cn-hangzhou";
        this.accountId = options.accountId ?? "1234567890123456";
        for (const key of options.accessKeys ?? [
            { accessKeyId: "LTAIemulatorKeyId", accessKeySecret: "emulator-secret" },
        ]) {
            this.accessKeys.set(key.accessKeyId, key);
        }
    }

    /** Starts listening on 127.0.0.1 on a free port. */
    async start(): Promise<this> {
        this.server = createServer((request, response) => {
            this.handle(request, response).catch((error: unknown) => {
                response.statusCode = 500;
                response.end(String(error));
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        this.port = (this.server.address() as AddressInfo).port;
        return this;
    }

    async stop(): Promise<void> {
        const server = this.server;
        if (!server) {
            return;
        }
        this.server = undefined;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    /** The endpoint to give the SDK: `http://127.0.0.1:<port>`. */
    get endpoint(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    get hostId(): string {
        return `kms.${this.regionId}.aliyuncs.com`;
    }

    // ---- keys -----------------------------------------------------------------------------------

    arnOf(keyId: string): string {
        return `acs:kms:${this.regionId}:${this.accountId}:key/${keyId}`;
    }

    /** Puts a key in the emulator as if it had been created elsewhere; returns its id. */
    seedKey(seed: SeedKey = {}): string {
        const keyId =
            seed.keyId ?? `key-${this.regionId.replace(/-/g, "")}${randomUUID().slice(0, 18)}`;
        const now = isoSeconds(new Date());
        const key: EmulatedKey = {
            keyId,
            arn: this.arnOf(keyId),
            keyState: seed.keyState ?? "Enabled",
            keySpec: seed.keySpec ?? "Aliyun_AES_256",
            keyUsage: seed.keyUsage ?? "ENCRYPT/DECRYPT",
            protectionLevel: seed.protectionLevel ?? "SOFTWARE",
            origin: seed.origin ?? "Aliyun_KMS",
            creator: seed.creator ?? this.accountId,
            description: seed.description ?? "",
            creationDate: seed.creationDate ?? now,
            deletionProtection: seed.deletionProtection ?? "Disabled",
            deletionProtectionDescription: seed.deletionProtectionDescription,
            automaticRotation: seed.automaticRotation ?? "Disabled",
            // A key that rotates always has an interval (CreateKey defaults it to 365 days).
            rotationInterval:
                seed.rotationInterval ??
                (seed.automaticRotation === "Enabled" ? "31536000s" : undefined),
            dkmsInstanceId: seed.dkmsInstanceId,
            deleteDate: seed.deleteDate,
            versions: [
                { keyVersionId: randomUUID(), material: randomBytes(32), creationDate: now },
            ],
        };
        this.keys.set(keyId, key);
        return keyId;
    }

    /** The emulator's record of a key, to assert on; throws when it does not exist. */
    key(keyId: string): EmulatedKey {
        const key = this.keys.get(keyId);
        if (!key) {
            throw new Error(`The emulator has no key ${keyId}.`);
        }
        return key;
    }

    /** Adds a key version, as an automatic rotation would. */
    rotateKey(keyId: string): string {
        const version = {
            keyVersionId: randomUUID(),
            material: randomBytes(32),
            creationDate: isoSeconds(new Date()),
        };
        this.key(keyId).versions.push(version);
        return version.keyVersionId;
    }

    // ---- faults and counters -------------------------------------------------------------------

    injectFault(fault: FaultSpec): void {
        this.faults.push({
            kind: fault.kind,
            times: fault.times ?? 1,
            action: fault.action,
            delayMs: fault.delayMs ?? 2000,
        });
    }

    clearFaults(): void {
        this.faults.length = 0;
        this.afterHooks.length = 0;
    }

    /** Every request received, in order, faulted ones included. */
    get calls(): readonly RecordedCall[] {
        return this.recorded;
    }

    /** Requests received per action. */
    callCounts(): Record<string, number> {
        const counts: Record<string, number> = {};
        for (const call of this.recorded) {
            counts[call.action] = (counts[call.action] ?? 0) + 1;
        }
        return counts;
    }

    callCount(action?: string): number {
        return action
            ? this.recorded.filter((call) => call.action === action).length
            : this.recorded.length;
    }

    /**
     * Runs `run` right after the next `times` successful requests for `action` are carried out,
     * before they are answered: another client writing in between two calls of the code under test.
     */
    afterAction(action: string, run: () => void, times = 1): void {
        this.afterHooks.push({ action, times, run });
    }

    resetCalls(): void {
        this.recorded.length = 0;
    }

    // ---- HTTP -----------------------------------------------------------------------------------

    private takeFault(action: string) {
        const index = this.faults.findIndex((fault) => !fault.action || fault.action === action);
        if (index < 0) {
            return undefined;
        }
        const fault = this.faults[index];
        fault.times -= 1;
        if (fault.times <= 0) {
            this.faults.splice(index, 1);
        }
        return fault;
    }

    private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const chunk of request) {
            chunks.push(chunk as Buffer);
        }
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        const parameters: Record<string, string> = {};
        const collect = (source: Record<string, string | string[] | undefined>) => {
            for (const [name, value] of Object.entries(source)) {
                parameters[name] = Array.isArray(value) ? value[value.length - 1] : (value ?? "");
            }
        };
        collect(parseQueryString(url.search.replace(/^\?/, "")));
        if (
            chunks.length > 0 &&
            /x-www-form-urlencoded/.test(request.headers["content-type"] ?? "")
        ) {
            collect(parseQueryString(Buffer.concat(chunks).toString("utf8")));
        }
        const action = parameters.Action ?? "(none)";
        const call: RecordedCall = { action, parameters, outcome: 200 };
        this.recorded.push(call);
        const requestId = randomUUID().toUpperCase();

        const fault = this.takeFault(action);
        if (fault) {
            call.fault = fault.kind;
            if (fault.kind === "drop") {
                call.outcome = "dropped";
                request.socket.destroy();
                return;
            }
            if (fault.kind === "delay") {
                await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
                if (request.socket.destroyed) {
                    call.outcome = "dropped";
                    return;
                }
            } else if (fault.kind === "badGateway") {
                call.outcome = 502;
                response.writeHead(502, { "content-type": "text/html" });
                response.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
                return;
            } else {
                const failure =
                    fault.kind === "throttle"
                        ? new KmsFailure(400, kmsEmulatorCodes.throttling, "QPS Limit Exceeded")
                        : fault.kind === "internalFailure"
                          ? new KmsFailure(
                                500,
                                kmsEmulatorCodes.internalFailure,
                                "Internal Failure",
                            )
                          : new KmsFailure(
                                503,
                                kmsEmulatorCodes.serviceUnavailable,
                                "Service Unavailable Temporary.",
                            );
                this.answerError(response, call, requestId, failure);
                return;
            }
        }

        try {
            this.authenticate(request.method ?? "GET", parameters);
            const body = this.dispatch(action, parameters);
            const hook = this.afterHooks.find((candidate) => candidate.action === action);
            if (hook) {
                hook.times -= 1;
                if (hook.times <= 0) {
                    this.afterHooks.splice(this.afterHooks.indexOf(hook), 1);
                }
                hook.run();
            }
            call.outcome = 200;
            response.writeHead(200, { "content-type": "application/json;charset=utf-8" });
            response.end(JSON.stringify({ ...body, RequestId: requestId }));
        } catch (error) {
            if (!(error instanceof KmsFailure)) {
                throw error;
            }
            this.answerError(response, call, requestId, error);
        }
    }

    private answerError(
        response: ServerResponse,
        call: RecordedCall,
        requestId: string,
        failure: KmsFailure,
    ) {
        call.outcome = failure.statusCode;
        response.writeHead(failure.statusCode, {
            "content-type": "application/json;charset=utf-8",
        });
        response.end(
            JSON.stringify({
                RequestId: requestId,
                HostId: this.hostId,
                Code: failure.code,
                Message: failure.message,
                Recommend: `https://api.aliyun.com/troubleshoot?q=${failure.code}&product=Kms`,
            }),
        );
    }

    private authenticate(method: string, parameters: Record<string, string>): void {
        for (const name of ["AccessKeyId", "Timestamp", "SignatureNonce", "Version", "Action"]) {
            if (!parameters[name]) {
                throw missingParameter(name);
            }
        }
        if (parameters.Version !== kmsApiVersion) {
            throw new KmsFailure(
                400,
                "InvalidVersion",
                `Specified parameter Version is not valid.`,
            );
        }
        const accessKey = this.accessKeys.get(parameters.AccessKeyId);
        if (!accessKey) {
            throw new KmsFailure(
                404,
                kmsEmulatorCodes.accessKeyNotFound,
                "The Access Key ID provided does not exist in our records.",
            );
        }
        const check = verifyRpcSignature(method, parameters, accessKey.accessKeySecret);
        if (!check.ok) {
            throw new KmsFailure(check.statusCode, check.code, check.message);
        }
        if (
            accessKey.securityToken !== undefined &&
            parameters.SecurityToken !== accessKey.securityToken
        ) {
            throw new KmsFailure(
                400,
                "InvalidSecurityToken.Mismatch",
                "Specified SecurityToken mismatch with the AccessKey.",
            );
        }
        const skewMs = Math.abs(Date.now() - Date.parse(parameters.Timestamp));
        if (!Number.isFinite(skewMs) || skewMs > 15 * 60 * 1000) {
            throw new KmsFailure(
                400,
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
            );
        }
        if (this.usedNonces.has(parameters.SignatureNonce)) {
            throw new KmsFailure(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            );
        }
        this.usedNonces.add(parameters.SignatureNonce);
    }

    // ---- the API --------------------------------------------------------------------------------

    private findKey(keyIdOrArn: string | undefined, parameterName = "KeyId"): EmulatedKey {
        if (!keyIdOrArn) {
            throw missingParameter(parameterName);
        }
        const arnMatch = /^acs:kms:([^:]+):([^:]*):key\/(.+)$/.exec(keyIdOrArn);
        if (arnMatch && (arnMatch[1] !== this.regionId || arnMatch[2] !== this.accountId)) {
            throw keyNotFound();
        }
        const key = this.keys.get(arnMatch ? arnMatch[3] : keyIdOrArn);
        if (!key) {
            throw keyNotFound();
        }
        return key;
    }

    private requireUsable(key: EmulatedKey): void {
        if (key.keyState !== "Enabled") {
            throw new KmsFailure(
                400,
                kmsEmulatorCodes.keyNotEnabled,
                `The key is not enabled: it is ${key.keyState}.`,
            );
        }
    }

    private metadataOf(key: EmulatedKey): Record<string, unknown> {
        const metadata = this.fullMetadataOf(key);
        for (const field of this.omittedMetadata) delete metadata[field];
        return metadata;
    }

    private fullMetadataOf(key: EmulatedKey): Record<string, unknown> {
        const primary = key.versions[key.versions.length - 1];
        return {
            KeyId: key.keyId,
            Arn: key.arn,
            KeyState: key.keyState,
            KeySpec: key.keySpec,
            KeyUsage: key.keyUsage,
            ProtectionLevel: key.protectionLevel,
            Origin: key.origin,
            Creator: key.creator,
            Description: key.description,
            CreationDate: key.creationDate,
            DeletionProtection: key.deletionProtection,
            // Listed in DescribeKey's KeyMetadata by the API reference. Whether KMS omits it or
            // answers "" when protection is off is not said: the emulator omits it then.
            ...(key.deletionProtection === "Enabled" && key.deletionProtectionDescription
                ? { DeletionProtectionDescription: key.deletionProtectionDescription }
                : {}),
            AutomaticRotation: key.automaticRotation,
            PrimaryKeyVersion: primary.keyVersionId,
            MaterialExpireTime: "",
            ...(key.rotationInterval ? { RotationInterval: key.rotationInterval } : {}),
            ...(key.dkmsInstanceId ? { DKMSInstanceId: key.dkmsInstanceId } : {}),
            ...(key.deleteDate ? { DeleteDate: key.deleteDate } : {}),
        };
    }

    private dispatch(action: string, p: Record<string, string>): Record<string, unknown> {
        switch (action) {
            case "DescribeKey":
                return { KeyMetadata: this.metadataOf(this.findKey(p.KeyId)) };
            case "SetDeletionProtection":
                return this.setDeletionProtection(p);
            case "CreateKey":
                return this.createKey(p);
            case "EnableKey":
            case "DisableKey": {
                const key = this.findKey(p.KeyId);
                if (key.keyState === "PendingDeletion") {
                    throw new KmsFailure(
                        400,
                        "Forbidden.KeyStateNotSupported",
                        "The key is pending deletion.",
                    );
                }
                key.keyState = action === "EnableKey" ? "Enabled" : "Disabled";
                return {};
            }
            case "ScheduleKeyDeletion":
                return this.scheduleKeyDeletion(p);
            case "CancelKeyDeletion": {
                const key = this.findKey(p.KeyId);
                if (key.keyState !== "PendingDeletion") {
                    throw new KmsFailure(
                        400,
                        "Forbidden.KeyStateNotSupported",
                        "The key is not pending deletion.",
                    );
                }
                key.keyState = "Enabled";
                key.deleteDate = undefined;
                return {};
            }
            case "UpdateRotationPolicy":
                return this.updateRotationPolicy(p);
            case "ListKeys":
                return this.listKeys(p);
            case "Encrypt":
                return this.encrypt(p);
            case "Decrypt":
                return this.decrypt(p);
            case "GenerateDataKey":
                return this.generateDataKey(p);
            case "GetKeyPolicy": {
                const key = this.findKey(p.KeyId);
                if (p.PolicyName !== "default") {
                    throw invalidParameter("PolicyName");
                }
                // The docs do not say what a key outside an instance answers: we answer its default policy.
                const policy =
                    this.keyPolicies.get(key.keyId) ??
                    JSON.stringify({
                        Version: "1",
                        Statement: [
                            {
                                Sid: "kms default key policy",
                                Effect: "Allow",
                                Principal: { RAM: [`acs:ram::${this.accountId}:*`] },
                                Action: ["kms:*"],
                                Resource: ["*"],
                            },
                        ],
                    });
                return { Policy: policy };
            }
            case "GetKmsInstance": {
                const instance = this.instances.get(p.KmsInstanceId ?? "");
                if (!instance) {
                    throw new KmsFailure(
                        404,
                        "Forbidden.InstanceNotFound",
                        "The specified KMS instance is not found.",
                    );
                }
                return {
                    KmsInstance: {
                        InstanceId: instance.instanceId,
                        ChargeType: instance.chargeType,
                        EndDate: instance.endDate,
                        Status: instance.status,
                    },
                };
            }
            default:
                throw new KmsFailure(
                    400,
                    "InvalidAction.NotFound",
                    `Specified api is not found, please check your url and method.`,
                );
        }
    }

    private setDeletionProtection(p: Record<string, string>): Record<string, unknown> {
        const key = this.findKey(p.ProtectedResourceArn ?? p.KeyId, "ProtectedResourceArn");
        if (p.EnableDeletionProtection !== "true" && p.EnableDeletionProtection !== "false") {
            throw invalidParameter("EnableDeletionProtection");
        }
        if (key.keyState === "PendingDeletion") {
            throw new KmsFailure(
                400,
                "Forbidden.KeyStateNotSupported",
                "The key is pending deletion.",
            );
        }
        if (p.EnableDeletionProtection === "true") {
            // The API reference gives no length limit for DeletionProtectionDescription, and does
            // not say what enabling without a description does to an earlier one: the emulator
            // keeps exactly what the last call sent (none when none was sent).
            key.deletionProtection = "Enabled";
            key.deletionProtectionDescription = p.DeletionProtectionDescription;
        } else {
            key.deletionProtection = "Disabled";
            key.deletionProtectionDescription = undefined;
        }
        return {};
    }

    private createKey(p: Record<string, string>): Record<string, unknown> {
        const keySpec = p.KeySpec ?? "Aliyun_AES_256";
        const keyUsage = p.KeyUsage ?? "ENCRYPT/DECRYPT";
        if (keySpec.startsWith("Aliyun_AES") || keySpec === "Aliyun_SM4") {
            if (keyUsage !== "ENCRYPT/DECRYPT") {
                throw invalidParameter("KeyUsage");
            }
        }
        const keyId = this.seedKey({
            keySpec,
            keyUsage,
            protectionLevel: p.ProtectionLevel ?? "SOFTWARE",
            description: p.Description ?? "",
            dkmsInstanceId: p.DKMSInstanceId,
            automaticRotation: p.EnableAutomaticRotation === "true" ? "Enabled" : "Disabled",
            rotationInterval:
                p.EnableAutomaticRotation === "true"
                    ? (p.RotationInterval ?? "31536000s")
                    : undefined,
        });
        return { KeyMetadata: this.metadataOf(this.key(keyId)) };
    }

    private scheduleKeyDeletion(p: Record<string, string>): Record<string, unknown> {
        const key = this.findKey(p.KeyId);
        const days = Number(p.PendingWindowInDays);
        if (!p.PendingWindowInDays) {
            throw missingParameter("PendingWindowInDays");
        }
        if (!Number.isInteger(days) || days < 7 || days > 366) {
            throw invalidParameter("PendingWindowInDays");
        }
        if (key.deletionProtection === "Enabled") {
            throw new KmsFailure(
                403,
                kmsEmulatorCodes.keyProtected,
                "The resource is protected by deletion protection and cannot be deleted.",
            );
        }
        key.keyState = "PendingDeletion";
        key.deleteDate = isoSeconds(new Date(Date.now() + days * 24 * 3600 * 1000));
        return {};
    }

    private updateRotationPolicy(p: Record<string, string>): Record<string, unknown> {
        const key = this.findKey(p.KeyId);
        if (p.EnableAutomaticRotation !== "true" && p.EnableAutomaticRotation !== "false") {
            throw invalidParameter("EnableAutomaticRotation");
        }
        if (p.EnableAutomaticRotation === "true") {
            const interval = p.RotationInterval ?? "";
            const match = /^(\d+)([dhms])$/.exec(interval);
            if (!match) {
                throw invalidParameter("RotationInterval");
            }
            const seconds = Number(match[1]) * { d: 86400, h: 3600, m: 60, s: 1 }[match[2] as "d"];
            if (seconds < 7 * 86400 || seconds > 365 * 86400) {
                throw invalidParameter("RotationInterval");
            }
            key.automaticRotation = "Enabled";
            key.rotationInterval = `${seconds}s`;
        } else {
            key.automaticRotation = "Disabled";
            key.rotationInterval = undefined;
        }
        return {};
    }

    private listKeys(p: Record<string, string>): Record<string, unknown> {
        const pageNumber = Number(p.PageNumber ?? "1");
        const pageSize = Number(p.PageSize ?? "10");
        if (!Number.isInteger(pageNumber) || pageNumber < 1) {
            throw invalidParameter("PageNumber");
        }
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
            throw invalidParameter("PageSize");
        }
        const all = [...this.keys.values()];
        const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
        return {
            TotalCount: all.length,
            PageNumber: pageNumber,
            PageSize: pageSize,
            Keys: { Key: page.map((key) => ({ KeyId: key.keyId, KeyArn: key.arn })) },
        };
    }

    // ---- cryptography ---------------------------------------------------------------------------
    // Ciphertext blob: "EKMS" | len | key id | len | key version id | 12-byte IV | 16-byte tag | data.
    // The encryption context is bound as AES-GCM additional data, as KMS binds it.

    /** The encryption context as a JSON string, or flattened (`EncryptionContext.<name>`) as the SDK sends an object. */
    private static encryptionContext(p: Record<string, string>): Record<string, string> {
        const context: Record<string, string> = {};
        if (p.EncryptionContext) {
            let parsed: unknown;
            try {
                parsed = JSON.parse(p.EncryptionContext);
            } catch {
                throw invalidParameter("EncryptionContext");
            }
            if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
                throw invalidParameter("EncryptionContext");
            }
            for (const [name, value] of Object.entries(parsed)) {
                context[name] = String(value);
            }
        }
        for (const [name, value] of Object.entries(p)) {
            if (name.startsWith("EncryptionContext.")) {
                context[name.slice("EncryptionContext.".length)] = value;
            }
        }
        return context;
    }

    private static additionalData(
        keyId: string,
        keyVersionId: string,
        p: Record<string, string>,
    ): Buffer {
        const context = KmsEmulator.encryptionContext(p);
        const canonical = JSON.stringify(
            Object.keys(context)
                .sort()
                .map((name) => [name, context[name]]),
        );
        return createHash("sha256").update(`${keyId}\n${keyVersionId}\n${canonical}`).digest();
    }

    private seal(key: EmulatedKey, plaintext: Buffer, p: Record<string, string>) {
        const version = key.versions[key.versions.length - 1];
        const iv = randomBytes(12);
        const cipher = createCipheriv("aes-256-gcm", version.material, iv);
        cipher.setAAD(KmsEmulator.additionalData(key.keyId, version.keyVersionId, p));
        const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
        const keyIdBytes = Buffer.from(key.keyId);
        const versionBytes = Buffer.from(version.keyVersionId);
        const blob = Buffer.concat([
            blobMagic,
            Buffer.from([keyIdBytes.length]),
            keyIdBytes,
            Buffer.from([versionBytes.length]),
            versionBytes,
            iv,
            cipher.getAuthTag(),
            data,
        ]);
        return {
            CiphertextBlob: blob.toString("base64"),
            KeyId: key.keyId,
            KeyVersionId: version.keyVersionId,
        };
    }

    private encrypt(p: Record<string, string>): Record<string, unknown> {
        const key = this.findKey(p.KeyId);
        this.requireUsable(key);
        if (p.Plaintext === undefined) {
            throw missingParameter("Plaintext");
        }
        return this.seal(key, Buffer.from(p.Plaintext, "utf8"), p);
    }

    private generateDataKey(p: Record<string, string>): Record<string, unknown> {
        const key = this.findKey(p.KeyId);
        this.requireUsable(key);
        let length = 32;
        if (p.NumberOfBytes !== undefined) {
            length = Number(p.NumberOfBytes);
            if (!Number.isInteger(length) || length < 1 || length > 1024) {
                throw invalidParameter("NumberOfBytes");
            }
        } else if (p.KeySpec !== undefined) {
            if (p.KeySpec !== "AES_256" && p.KeySpec !== "AES_128") {
                throw invalidParameter("KeySpec");
            }
            length = p.KeySpec === "AES_128" ? 16 : 32;
        }
        const dataKey = randomBytes(length);
        // As KMS does: the data key is returned Base64-encoded, and what is sealed is that Base64 text.
        const plaintext = dataKey.toString("base64");
        return {
            ...this.seal(key, Buffer.from(plaintext, "utf8"), p),
            Plaintext: plaintext,
        };
    }

    private decrypt(p: Record<string, string>): Record<string, unknown> {
        if (!p.CiphertextBlob) {
            throw missingParameter("CiphertextBlob");
        }
        const invalid = () =>
            new KmsFailure(400, kmsEmulatorCodes.invalidCiphertext, "The ciphertext is invalid.");
        const blob = Buffer.from(p.CiphertextBlob, "base64");
        if (blob.length < blobMagic.length + 2 || !blob.subarray(0, 4).equals(blobMagic)) {
            throw invalid();
        }
        let offset = 4;
        const readField = () => {
            const length = blob[offset];
            const value = blob.subarray(offset + 1, offset + 1 + length).toString("utf8");
            offset += 1 + length;
            return value;
        };
        const keyId = readField();
        const keyVersionId = readField();
        const key = this.findKey(keyId);
        this.requireUsable(key);
        const version = key.versions.find((candidate) => candidate.keyVersionId === keyVersionId);
        if (!version || blob.length < offset + 28) {
            throw invalid();
        }
        const iv = blob.subarray(offset, offset + 12);
        const tag = blob.subarray(offset + 12, offset + 28);
        const data = blob.subarray(offset + 28);
        try {
            const decipher = createDecipheriv("aes-256-gcm", version.material, iv);
            decipher.setAAD(KmsEmulator.additionalData(keyId, keyVersionId, p));
            decipher.setAuthTag(tag);
            const plaintext = Buffer.concat([decipher.update(data), decipher.final()]);
            return {
                Plaintext: plaintext.toString("utf8"),
                KeyId: keyId,
                KeyVersionId: keyVersionId,
            };
        } catch {
            throw invalid();
        }
    }
}

/** Starts an emulator; stop it in an `after` hook. */
export function startKmsEmulator(options: KmsEmulatorOptions = {}): Promise<KmsEmulator> {
    return new KmsEmulator(options).start();
}
