// KeyDeletionGuard: deletion protection in KMS itself for the key a cluster's Secrets are encrypted
// with, so the key cannot be scheduled for deletion from the console or another stack while bound.

import * as pulumi from "@pulumi/pulumi";
import {
    argNames,
    argsProblems,
    checkInput,
    secretArgNames,
    secretWhen,
    throwProblems,
} from "../validation";
import { keyDeletionGuardKind, resourceTypes } from "../../policy/facts";
import { servedFromProvider, servedOptions } from "../providers/servedByProvider";
import {
    KeyDeletionGuardInputs,
    redactableGuardInputs,
    unknownValue,
    validateKeyDeletionGuardInputs,
} from "./inputs";
import { createKeyDeletionGuardProvider, providerModuleCandidates } from "./provider";

export interface KeyDeletionGuardArgs {
    /**
     * The KMS key id (or ARN) the cluster is bound to. It must be Enabled, `Aliyun_AES_256`,
     * ENCRYPT/DECRYPT and not pending deletion. Another key moves the guard in place: the new key
     * is protected, and the old one keeps its protection (it may still hold Secrets).
     */
    keyId: pulumi.Input<string>;
    /** The region of the key and the cluster; another region moves the guard as `keyId` does. */
    regionId: pulumi.Input<string>;
    /**
     * What the key protects, written into the KMS deletion-protection description (e.g. the
     * cluster name). At most 128 characters; a change is applied in place.
     */
    boundTo: pulumi.Input<string>;
    /**
     * KMS endpoint override (private or test endpoints): a host such as
     * `kms-vpc.cn-hangzhou.aliyuncs.com` or a URL such as `http://127.0.0.1:8443`.
     * Defaults to `kms.<regionId>.aliyuncs.com` over HTTPS.
     */
    endpoint?: pulumi.Input<string>;
    /**
     * Let deleting the guard turn deletion protection off, and only when this guard turned it on
     * itself and, re-reading the key just before, KMS lists no other holder (another guard, another
     * stack, or protection re-set by someone else). Set it with `pulumi up` before the delete: the
     * delete reads it from the state. Moving the guard to another key never turns the old key's
     * protection off. Plain value. Defaults to `false`: deleting the guard leaves protection on.
     */
    releaseProtectionOnDelete?: boolean;
}

/** The names KeyDeletionGuardArgs takes; anything else is refused. */
export const keyDeletionGuardArgNames = argNames<KeyDeletionGuardArgs>({
    keyId: true,
    regionId: true,
    boundTo: true,
    endpoint: true,
    releaseProtectionOnDelete: true,
});

/**
 * The problems with plain KeyDeletionGuard args, all at once, as messages naming each argument;
 * Outputs are checked once known.
 */
export function validateKeyDeletionGuardArgs(args: {
    keyId?: unknown;
    regionId?: unknown;
    boundTo?: unknown;
    endpoint?: unknown;
    releaseProtectionOnDelete?: unknown;
}): string[] {
    return argsProblems("KeyDeletionGuard", args, keyDeletionGuardArgNames, (a) =>
        validateKeyDeletionGuardInputs(a as Partial<KeyDeletionGuardInputs>),
    );
}

let sharedProvider: pulumi.dynamic.ResourceProvider | undefined;

/** One provider object per process, so Pulumi serializes it once (it caches per object). */
function guardProvider(): pulumi.dynamic.ResourceProvider {
    sharedProvider ??= createKeyDeletionGuardProvider({
        moduleCandidates: providerModuleCandidates(),
    });
    return sharedProvider;
}

export interface KeyDeletionGuardResourceInputs {
    kind: pulumi.Input<string>;
    keyId: pulumi.Input<string>;
    regionId: pulumi.Input<string>;
    boundTo: pulumi.Input<string>;
    endpoint?: pulumi.Input<string>;
    releaseProtectionOnDelete?: boolean;
    /** The inputs given as secrets, so the provider writes them as `[secret]`; unset when none. */
    secretInputs?: pulumi.Input<string[] | undefined>;
}

/**
 * The outputs the provider fills in, set to undefined in the inputs of both resource classes (the
 * dynamic one and the served one) so the engine knows them as outputs.
 */
const guardOutputSlots = {
    kmsKeyId: undefined,
    keyArn: undefined,
    protectionWasAlreadyOn: undefined,
    protectionDescription: undefined,
    holderToken: undefined,
    holderRecorded: undefined,
    deletionProtection: undefined,
};

/** The dynamic resource (`pulumi-nodejs:dynamic:Resource`) that turns the protection on and off. */
export class KeyDeletionGuardResource extends pulumi.dynamic.Resource {
    public readonly kind!: pulumi.Output<string>;
    public readonly keyId!: pulumi.Output<string>;
    public readonly regionId!: pulumi.Output<string>;
    public readonly boundTo!: pulumi.Output<string>;
    public readonly kmsKeyId!: pulumi.Output<string>;
    public readonly keyArn!: pulumi.Output<string>;
    public readonly protectionWasAlreadyOn!: pulumi.Output<boolean>;
    public readonly protectionDescription!: pulumi.Output<string>;
    public readonly holderToken!: pulumi.Output<string | undefined>;
    public readonly holderRecorded!: pulumi.Output<boolean | undefined>;
    public readonly deletionProtection!: pulumi.Output<string | undefined>;

    constructor(
        name: string,
        props: KeyDeletionGuardResourceInputs,
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            guardProvider(),
            name,
            {
                ...props,
                ...guardOutputSlots,
            },
            opts,
        );
    }
}

/**
 * The same resource served by the ack-kms provider (`ack-kms:index:KeyDeletionGuardResource`), for
 * programs in other languages: see components/providers/servedByProvider.ts.
 */
export class ServedKeyDeletionGuardResource extends pulumi.CustomResource {
    public readonly kind!: pulumi.Output<string>;
    public readonly keyId!: pulumi.Output<string>;
    public readonly regionId!: pulumi.Output<string>;
    public readonly boundTo!: pulumi.Output<string>;
    public readonly kmsKeyId!: pulumi.Output<string>;
    public readonly keyArn!: pulumi.Output<string>;
    public readonly protectionWasAlreadyOn!: pulumi.Output<boolean>;
    public readonly protectionDescription!: pulumi.Output<string>;
    public readonly holderToken!: pulumi.Output<string | undefined>;
    public readonly holderRecorded!: pulumi.Output<boolean | undefined>;
    public readonly deletionProtection!: pulumi.Output<string | undefined>;

    constructor(
        name: string,
        props: KeyDeletionGuardResourceInputs,
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            resourceTypes.keyDeletionGuardResource,
            name,
            {
                ...props,
                ...guardOutputSlots,
            },
            servedOptions(opts),
        );
    }
}

/**
 * Turns on KMS deletion protection for the key a cluster is bound to, after checking in the
 * cluster's region that the key can serve Secret encryption (Enabled, `Aliyun_AES_256`,
 * ENCRYPT/DECRYPT, not pending deletion). Each guard adds itself to a holder list in the key's
 * deletion-protection description. Deleting the guard leaves protection on (removing only its own
 * entry) unless `releaseProtectionOnDelete` is set, and even then unless it turned protection on
 * and KMS lists no other holder. Credentials come from the environment when the provider runs
 * (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`/`_SECURITY_TOKEN` or `ALICLOUD_ACCESS_KEY`/`_SECRET_KEY`/
 * `_SECURITY_TOKEN`), never from inputs, so nothing secret reaches the state.
 */
export class KeyDeletionGuard extends pulumi.ComponentResource {
    static readonly __pulumiType = "ack-kms:index:KeyDeletionGuard";

    /** The key's id, as KMS reports it. */
    public readonly keyId: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;
    /**
     * Protection was on before the guard (or that is not known, after an import), which then
     * leaves it on when deleted.
     */
    public readonly protectionWasAlreadyOn: pulumi.Output<boolean>;
    /** The dynamic resource doing the work. */
    public readonly guard: KeyDeletionGuardResource | ServedKeyDeletionGuardResource;

    constructor(name: string, args: KeyDeletionGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        // Plain values are checked at once, so the error points at the caller's line.
        throwProblems(validateKeyDeletionGuardArgs(args));
        super(KeyDeletionGuard.__pulumiType, name, {}, opts);

        // Each Output is checked on its own, so one unknown (a new key's id in preview) leaves the
        // others known for policies; the provider's check sees them all together before creating.
        const notKnownYet = { keyId: unknownValue, regionId: unknownValue, boundTo: unknownValue };
        const checked = (
            field: "keyId" | "regionId" | "boundTo" | "endpoint",
            value: pulumi.Input<string>,
        ) =>
            checkInput(
                value,
                (plain) =>
                    validateKeyDeletionGuardArgs({ ...notKnownYet, [field]: plain }).join(" ") ||
                    undefined,
                this,
            );

        const secretInputs = secretArgNames(args, redactableGuardInputs);
        const Guard = servedFromProvider()
            ? ServedKeyDeletionGuardResource
            : KeyDeletionGuardResource;
        this.guard = new Guard(
            `${name}-deletion-protection`,
            {
                kind: keyDeletionGuardKind,
                keyId: checked("keyId", args.keyId),
                regionId: checked("regionId", args.regionId),
                boundTo: checked("boundTo", args.boundTo),
                ...(args.endpoint === undefined
                    ? {}
                    : { endpoint: checked("endpoint", args.endpoint) }),
                ...(args.releaseProtectionOnDelete === undefined
                    ? {}
                    : { releaseProtectionOnDelete: args.releaseProtectionOnDelete }),
                secretInputs,
            },
            { parent: this },
        );
        if (args.releaseProtectionOnDelete === true) {
            void pulumi.log.warn(
                `releaseProtectionOnDelete is on: deleting ${name} may turn deletion protection off for its KMS key (only if the guard turned it on and no other holder is listed).`,
                this,
            );
        }
        // The key's id and ARN as KMS reports them are new outputs, which the engine does not
        // mark secret: they are kept secret here when the keyId given was.
        const keyIsSecret = secretInputs.apply((names) => names?.includes("keyId") ?? false);
        this.keyId = secretWhen(keyIsSecret, this.guard.kmsKeyId);
        this.keyArn = secretWhen(keyIsSecret, this.guard.keyArn);
        this.protectionWasAlreadyOn = this.guard.protectionWasAlreadyOn;
        this.registerOutputs({
            keyId: this.keyId,
            keyArn: this.keyArn,
            protectionWasAlreadyOn: this.protectionWasAlreadyOn,
        });
    }
}
