// ExistingClusterEncryption: Secret encryption with KMS for an ACK Pro cluster created elsewhere
// (console, Terraform, another stack), as the ACK guide's "Existing ACK Pro cluster" steps do.

import * as pulumi from "@pulumi/pulumi";
import { existingClusterEncryptionKind, resourceTypes } from "../../policy/facts";
import { servedFromProvider, servedOptions } from "../providers/servedByProvider";
import {
    ExistingClusterEncryptionInputs,
    redactableInputs,
    unknownValue,
    validateExistingClusterEncryptionInputs,
} from "./inputs";
import {
    createExistingClusterEncryptionProvider,
    ExistingClusterEncryptionProviderSettings,
    providerModuleCandidates,
} from "./provider";
import {
    argNames,
    argsProblems,
    booleanProblem,
    checkInput,
    invalid,
    plainValueProblem,
    secretArgNames,
    secretWhen,
    throwProblems,
} from "../validation";

export interface ExistingClusterEncryptionArgs {
    /** The ACK Pro cluster's id. It must be running; another cluster replaces the resource. */
    clusterId: pulumi.Input<string>;
    /**
     * The KMS key id (or ARN) to encrypt Secrets with: Enabled, `Aliyun_AES_256`, ENCRYPT/DECRYPT,
     * in the cluster's region. Another key moves encryption to it in place (keep the old key enabled
     * until every Secret is rewritten, see SecretsReencryption).
     */
    keyId: pulumi.Input<string>;
    /** The region of the cluster and the key, e.g. `cn-hangzhou`. */
    regionId: pulumi.Input<string>;
    /**
     * Turn encryption off when this resource is deleted (only if this resource turned it on).
     * Plain value. Defaults to `false`: deleting the resource leaves encryption on.
     */
    disableOnDelete?: boolean;
    /** Container Service endpoint override (host or http(s) URL). Defaults to `cs.<regionId>.aliyuncs.com`. */
    csEndpoint?: pulumi.Input<string>;
    /** KMS endpoint override (host or http(s) URL). Defaults to `kms.<regionId>.aliyuncs.com`. */
    kmsEndpoint?: pulumi.Input<string>;
    /** Seconds between two reads of the cluster state. Plain value. Defaults to 10. */
    pollIntervalSeconds?: number;
    /**
     * Minutes to keep retrying while ACK answers HTTP 409 (it allows one encryption change per
     * 5 minutes). Plain value. Defaults to 10.
     */
    conflictRetryMinutes?: number;
    /** Minutes to wait for the cluster to be running again. Plain value. Defaults to 30. */
    waitTimeoutMinutes?: number;
}

/** The names ExistingClusterEncryptionArgs takes; anything else is refused. */
export const existingClusterEncryptionArgNames = argNames<ExistingClusterEncryptionArgs>({
    clusterId: true,
    keyId: true,
    regionId: true,
    disableOnDelete: true,
    csEndpoint: true,
    kmsEndpoint: true,
    pollIntervalSeconds: true,
    conflictRetryMinutes: true,
    waitTimeoutMinutes: true,
});

/** Checks the plain timing args; returns the problems. */
export function validateTimingArgs(args: ExistingClusterEncryptionArgs): string[] {
    const problems: string[] = [];
    const range = (name: keyof ExistingClusterEncryptionArgs, min: number, max: number) => {
        const value = args[name];
        if (value !== undefined && (typeof value !== "number" || !(value >= min && value <= max))) {
            problems.push(
                plainValueProblem(name, value, `a number from ${min} to ${max}`) ??
                    invalid(name, value, `is out of range: use a number from ${min} to ${max}.`),
            );
        }
    };
    range("pollIntervalSeconds", 0.01, 300);
    range("conflictRetryMinutes", 0, 120);
    range("waitTimeoutMinutes", 0.01, 240);
    const disableOnDelete = booleanProblem("disableOnDelete", args.disableOnDelete);
    if (disableOnDelete) {
        problems.push(disableOnDelete);
    }
    return problems;
}

export interface ExistingClusterEncryptionResourceInputs {
    kind: pulumi.Input<string>;
    clusterId: pulumi.Input<string>;
    keyId: pulumi.Input<string>;
    regionId: pulumi.Input<string>;
    disableOnDelete: pulumi.Input<boolean>;
    csEndpoint?: pulumi.Input<string>;
    kmsEndpoint?: pulumi.Input<string>;
    /** The inputs given as secrets, so the provider writes them as `[secret]`; unset when none. */
    secretInputs?: pulumi.Input<string[] | undefined>;
}

/**
 * The outputs the provider fills in, set to undefined in the inputs of both resource classes (the
 * dynamic one and the served one) so the engine knows them as outputs.
 */
const encryptionOutputSlots = {
    kmsKeyId: undefined,
    keyArn: undefined,
    encryptionWasAlreadyOn: undefined,
    encryptedWithKey: undefined,
};

/** The dynamic resource (`pulumi-nodejs:dynamic:Resource`) that turns encryption on. */
export class ExistingClusterEncryptionResource extends pulumi.dynamic.Resource {
    public readonly kind!: pulumi.Output<string>;
    public readonly clusterId!: pulumi.Output<string>;
    public readonly keyId!: pulumi.Output<string>;
    public readonly kmsKeyId!: pulumi.Output<string>;
    public readonly keyArn!: pulumi.Output<string>;
    public readonly encryptionWasAlreadyOn!: pulumi.Output<boolean>;

    constructor(
        name: string,
        props: ExistingClusterEncryptionResourceInputs,
        provider: pulumi.dynamic.ResourceProvider,
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            provider,
            name,
            {
                ...props,
                ...encryptionOutputSlots,
            },
            opts,
        );
    }
}

/**
 * The same resource served by the ack-kms provider (`ack-kms:index:ExistingClusterEncryptionResource`),
 * for programs in other languages: see components/providers/servedByProvider.ts. The timings a dynamic
 * provider captures travel as the `providerTiming` input, which the provider takes out.
 */
export class ServedExistingClusterEncryptionResource extends pulumi.CustomResource {
    public readonly kind!: pulumi.Output<string>;
    public readonly clusterId!: pulumi.Output<string>;
    public readonly keyId!: pulumi.Output<string>;
    public readonly kmsKeyId!: pulumi.Output<string>;
    public readonly keyArn!: pulumi.Output<string>;
    public readonly encryptionWasAlreadyOn!: pulumi.Output<boolean>;

    constructor(
        name: string,
        props: ExistingClusterEncryptionResourceInputs,
        timing: ExistingClusterEncryptionProviderSettings["timing"],
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            resourceTypes.existingClusterEncryptionResource,
            name,
            {
                ...props,
                providerTiming: timing,
                ...encryptionOutputSlots,
            },
            servedOptions(opts),
        );
    }
}

/**
 * The problems with plain ExistingClusterEncryption args, all at once; Outputs are checked once
 * known.
 */
export function validateExistingClusterEncryptionArgs(
    args: ExistingClusterEncryptionArgs,
): string[] {
    return argsProblems<ExistingClusterEncryptionArgs>(
        "ExistingClusterEncryption",
        args,
        existingClusterEncryptionArgNames,
        (a) => [
            ...validateExistingClusterEncryptionInputs({
                clusterId: a.clusterId,
                keyId: a.keyId,
                regionId: a.regionId,
                csEndpoint: a.csEndpoint,
                kmsEndpoint: a.kmsEndpoint,
            }),
            ...validateTimingArgs(a),
        ],
    );
}

/**
 * Turns on Secret encryption with a KMS key for an ACK Pro cluster that already exists:
 * checks the cluster (exists, Pro, running) and the key (Enabled, `Aliyun_AES_256`,
 * ENCRYPT/DECRYPT, same region), calls CS UpdateKMSEncryption, waits out HTTP 409 (one change per
 * 5 minutes), and waits with progress in the Pulumi log until the cluster is running again.
 * Credentials come from the environment when the provider runs, never from inputs.
 */
export class ExistingClusterEncryption extends pulumi.ComponentResource {
    static readonly __pulumiType = "ack-kms:index:ExistingClusterEncryption";

    public readonly clusterId: pulumi.Output<string>;
    /** The key's id, as KMS reports it. */
    public readonly keyId: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;
    /** Encryption was on with this key before; the resource then never turns it off. */
    public readonly encryptionWasAlreadyOn: pulumi.Output<boolean>;
    public readonly encryption:
        ExistingClusterEncryptionResource | ServedExistingClusterEncryptionResource;

    constructor(
        name: string,
        args: ExistingClusterEncryptionArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        throwProblems(validateExistingClusterEncryptionArgs(args));
        super(ExistingClusterEncryption.__pulumiType, name, {}, opts);

        // Each Output is checked on its own, so one unknown (a new key's id in preview) leaves the
        // others known for policies; plain values were checked above. The provider's check sees
        // them all together again before anything is created.
        const notKnownYet = {
            clusterId: unknownValue,
            keyId: unknownValue,
            regionId: unknownValue,
        };
        const checked = (
            field: keyof ExistingClusterEncryptionInputs,
            value: pulumi.Input<string>,
        ) =>
            checkInput(
                value,
                (plain) =>
                    validateExistingClusterEncryptionInputs({
                        ...notKnownYet,
                        [field]: plain,
                    } as Partial<ExistingClusterEncryptionInputs>).join(" ") || undefined,
                this,
            );

        const seconds = (value: number | undefined) =>
            value === undefined ? undefined : value * 1000;
        const minutes = (value: number | undefined) =>
            value === undefined ? undefined : value * 60_000;
        const timing = {
            pollIntervalMs: seconds(args.pollIntervalSeconds),
            conflictBudgetMs: minutes(args.conflictRetryMinutes),
            waitTimeoutMs: minutes(args.waitTimeoutMinutes),
        };
        const secretInputs = secretArgNames(args, redactableInputs);
        const props: ExistingClusterEncryptionResourceInputs = {
            kind: existingClusterEncryptionKind,
            clusterId: checked("clusterId", args.clusterId),
            keyId: checked("keyId", args.keyId),
            regionId: checked("regionId", args.regionId),
            disableOnDelete: args.disableOnDelete ?? false,
            ...(args.csEndpoint === undefined
                ? {}
                : { csEndpoint: checked("csEndpoint", args.csEndpoint) }),
            ...(args.kmsEndpoint === undefined
                ? {}
                : { kmsEndpoint: checked("kmsEndpoint", args.kmsEndpoint) }),
            secretInputs,
        };
        this.encryption = servedFromProvider()
            ? new ServedExistingClusterEncryptionResource(`${name}-encryption`, props, timing, {
                  parent: this,
              })
            : new ExistingClusterEncryptionResource(
                  `${name}-encryption`,
                  props,
                  createExistingClusterEncryptionProvider({
                      moduleCandidates: providerModuleCandidates(),
                      timing,
                  }),
                  { parent: this },
              );
        if (args.disableOnDelete) {
            void pulumi.log.warn(
                `disableOnDelete is on: deleting ${name} turns Secret encryption off on the cluster.`,
                this,
            );
        }
        this.clusterId = this.encryption.clusterId;
        // The key's id and ARN as KMS reports them are new outputs, which the engine does not
        // mark secret: they are kept secret here when the keyId given was (as KeyDeletionGuard).
        const keyIsSecret = secretInputs.apply((names) => names?.includes("keyId") ?? false);
        this.keyId = secretWhen(keyIsSecret, this.encryption.kmsKeyId);
        this.keyArn = secretWhen(keyIsSecret, this.encryption.keyArn);
        this.encryptionWasAlreadyOn = this.encryption.encryptionWasAlreadyOn;
        this.registerOutputs({
            clusterId: this.clusterId,
            keyId: this.keyId,
            keyArn: this.keyArn,
            encryptionWasAlreadyOn: this.encryptionWasAlreadyOn,
        });
    }
}
