// Over 400 lines as one unit: the component, its args and their checks against KMS's key limits.
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import * as facts from "../policy/facts";
import { Known, known, unknown } from "../policy/verdicts/known";
import { judgeRotation } from "../policy/verdicts/rotation";
import { maxIdLength } from "./providers/inputChecks";
import { maxBoundToLength } from "./keyDeletionGuard/inputs";
import {
    argNames,
    argsProblems,
    booleanProblem,
    checkInput,
    describeValue,
    invalid,
    isKnown,
    plainValueProblem,
    textProblem,
    throwProblems,
} from "./validation";

export interface SecretsEncryptionKeyArgs {
    /**
     * Key spec. Only `Aliyun_AES_256` is accepted, because it is the only spec ACK's
     * UpdateKMSEncryption takes for Secret encryption. Plain value. Defaults to `Aliyun_AES_256`.
     */
    keySpec?: string;
    /**
     * `SOFTWARE` or `HSM`. In a KMS instance the instance type decides the level, so set `HSM` for
     * keys in a hardware instance (the provider otherwise replaces the key on every update).
     * Plain value. Defaults to `SOFTWARE`.
     */
    protectionLevel?: facts.ProtectionLevel;
    /**
     * The KMS instance to create the key in. Without it the key is a default key, which KMS
     * rotates only every 365 days. An empty id is refused, as is an Output that resolves to one
     * (it would allow an instance key's rotation limits on a default key). See
     * https://www.alibabacloud.com/help/en/kms/developer-reference/api-createkey.
     */
    dkmsInstanceId?: pulumi.Input<string>;
    /**
     * Automatic rotation period, `<n>d`, `<n>h`, `<n>m` or `<n>s`. Default keys rotate only every
     * `365d`; software keys in a KMS instance every `7d` to `365d`; HSM keys cannot rotate, so for
     * them rotation stays off and asking for it is an error. `false` turns rotation off (with a
     * warning). Plain value. Defaults to `365d` where the key type allows rotation.
     * Rotation encrypts new Secrets with the new key version; existing Secrets keep the old one
     * until they are rewritten (see `SecretsReencryption`).
     */
    rotationInterval?: string | false;
    /** Days KMS waits before deleting the key once scheduled, 7 to 366. Plain value. Defaults to `30`. */
    pendingWindowInDays?: number;
    /**
     * What the key protects (e.g. the cluster name), written into the key's deletion-protection
     * description, at most 128 characters. Defaults to `ack-kms <component name>`.
     */
    boundTo?: pulumi.Input<string>;
    /** Key description, 1 to 8,192 characters. Defaults to a sentence naming `boundTo`. */
    description?: pulumi.Input<string>;
    /** Tags for the key. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /**
     * Whether the key is a protected resource (`pulumi destroy` refuses to delete it). The key is
     * the only way to read the cluster's Secrets, so turning this off logs a warning. The
     * component's own `opts.protect` does not change it: it is always set on the key explicitly.
     * Plain value. Defaults to `true`.
     */
    protect?: boolean;
}

/** The names SecretsEncryptionKeyArgs takes; anything else is refused. */
export const secretsEncryptionKeyArgNames = argNames<SecretsEncryptionKeyArgs>({
    keySpec: true,
    protectionLevel: true,
    dkmsInstanceId: true,
    rotationInterval: true,
    pendingWindowInDays: true,
    boundTo: true,
    description: true,
    tags: true,
    protect: true,
});

/** KMS CreateKey: a key description has at most 8,192 characters. */
export const maxKeyDescriptionLength = 8192;

/** The key settings that follow from validated args. */
export interface SecretsEncryptionKeyPlan {
    keySpec: string;
    protectionLevel: facts.ProtectionLevel;
    keyType: facts.KeyType;
    /** The rotation interval to send, or undefined when rotation is off. */
    rotationInterval: string | undefined;
    pendingWindowInDays: number;
    protect: boolean;
    /** Protections the caller turned off, for the warnings. */
    weakened: Array<"rotation" | "protect">;
}

const keyTypeLabels: Record<facts.KeyType, string> = {
    default: "default keys (no dkmsInstanceId) rotate only every 365d",
    software: "software keys in a KMS instance rotate every 7d to 365d",
    hsm: "HSM keys cannot rotate automatically",
};

/** A KMS instance id: unset, an Output (checked when known), or a non-empty id without spaces. */
export function dkmsInstanceIdProblem(value: unknown): string | undefined {
    if (value === undefined || !isKnown(value)) {
        return undefined;
    }
    if (
        typeof value !== "string" ||
        value.trim() === "" ||
        /\s/.test(value) ||
        value.length > maxIdLength
    ) {
        return invalid(
            "dkmsInstanceId",
            value,
            'is not a KMS instance id: use one such as "kst-hzz6...", or omit dkmsInstanceId for a default key.',
        );
    }
    return undefined;
}

/** A tag map: unset, an Output, or an object of strings (or Outputs). */
function tagsProblem(tags: unknown): string | undefined {
    if (tags === undefined || !isKnown(tags)) {
        return undefined;
    }
    if (
        typeof tags !== "object" ||
        tags === null ||
        Array.isArray(tags) ||
        pulumi.Resource.isInstance(tags)
    ) {
        return invalid(
            "tags",
            tags,
            'is not valid: use an object of tag names to values, e.g. { team: "platform" }.',
        );
    }
    for (const [name, value] of Object.entries(tags)) {
        if (isKnown(value) && typeof value !== "string") {
            return invalid(`tags.${name}`, value, "is not valid: a tag value is a string.");
        }
    }
    return undefined;
}

/**
 * The problems with the plain args of a SecretsEncryptionKey, all at once; Outputs are checked
 * by the component once known.
 */
export function validateKeyArgs(args: SecretsEncryptionKeyArgs): string[] {
    return argsProblems<SecretsEncryptionKeyArgs>(
        "SecretsEncryptionKey",
        args,
        secretsEncryptionKeyArgNames,
        (a) => [
            keySpecProblem(a.keySpec),
            protectionLevelProblem(a.protectionLevel),
            dkmsInstanceIdProblem(a.dkmsInstanceId),
            rotationIntervalProblem(a),
            pendingWindowProblem(a.pendingWindowInDays),
            isKnown(a.boundTo)
                ? textProblem(
                      "boundTo",
                      a.boundTo,
                      maxBoundToLength,
                      "omit boundTo for the component name",
                  )
                : undefined,
            isKnown(a.description)
                ? textProblem(
                      "description",
                      a.description,
                      maxKeyDescriptionLength,
                      "omit description for the default",
                  )
                : undefined,
            tagsProblem(a.tags),
            booleanProblem("protect", a.protect),
        ],
    );
}

function keySpecProblem(keySpec: unknown): string | undefined {
    if (keySpec === undefined || keySpec === facts.secretsKeySpec) {
        return undefined;
    }
    return (
        plainValueProblem("keySpec", keySpec, facts.secretsKeySpec) ??
        invalid(
            "keySpec",
            keySpec,
            `is not supported: ACK's UpdateKMSEncryption accepts only ${facts.secretsKeySpec}.`,
        )
    );
}

function protectionLevelProblem(level: unknown): string | undefined {
    if (level === undefined || (facts.protectionLevels as readonly unknown[]).includes(level)) {
        return undefined;
    }
    return (
        plainValueProblem("protectionLevel", level, "SOFTWARE or HSM") ??
        invalid("protectionLevel", level, "is not valid: use SOFTWARE or HSM.")
    );
}

function pendingWindowProblem(days: unknown): string | undefined {
    const { min, max } = facts.pendingWindowInDays;
    if (
        days === undefined ||
        (typeof days === "number" && Number.isInteger(days) && days >= min && days <= max)
    ) {
        return undefined;
    }
    return (
        plainValueProblem(
            "pendingWindowInDays",
            days,
            `a whole number of days from ${min} to ${max}`,
        ) ??
        invalid(
            "pendingWindowInDays",
            days,
            `is out of range: use a whole number of days from ${min} to ${max}.`,
        )
    );
}

/** The key type the args ask for (the protection level checked already). */
function keyTypeOfArgs(args: SecretsEncryptionKeyArgs): facts.KeyType {
    return facts.keyTypeOf(
        args.protectionLevel === undefined ? "SOFTWARE" : args.protectionLevel,
        args.dkmsInstanceId !== undefined ? "set" : undefined,
    );
}

/**
 * The rotation interval against the limits of the key's type (the shared verdict). With a
 * protection level that is not valid the type is not known: the interval waits for a valid one.
 */
function rotationIntervalProblem(args: SecretsEncryptionKeyArgs): string | undefined {
    const requested: unknown = args.rotationInterval;
    if (requested === undefined || requested === false) {
        return undefined;
    }
    if (typeof requested !== "string") {
        return (
            plainValueProblem("rotationInterval", requested, 'a string such as "365d", or false') ??
            invalid(
                "rotationInterval",
                requested,
                'is not valid: use a string such as "365d", or false.',
            )
        );
    }
    const keyType: Known<facts.KeyType> =
        protectionLevelProblem(args.protectionLevel) === undefined
            ? known(keyTypeOfArgs(args))
            : unknown;
    const judged = judgeRotation({
        keyType,
        automaticRotation: known(facts.enabled),
        rotationInterval: known(requested),
    });
    switch (judged.verdict) {
        case "rotates":
        case "unknown":
            return undefined;
        case "cannotRotate":
            return invalid(
                "rotationInterval",
                requested,
                "is not allowed: HSM keys cannot rotate automatically; omit rotationInterval or set it to false.",
            );
        case "unreadable":
            return invalid(
                "rotationInterval",
                requested,
                'is not a valid interval: use a whole number followed by d, h, m or s, e.g. "365d".',
            );
        default:
            // tooShort or tooLong; the others cannot follow from a known type and an interval.
            return invalid(
                "rotationInterval",
                requested,
                `is out of range: ${keyTypeLabels[keyType.known ? keyType.value : "default"]}.`,
            );
    }
}

/** The key settings that valid args (validateKeyArgs finds no problem) lead to. */
export function planKey(args: SecretsEncryptionKeyArgs): SecretsEncryptionKeyPlan {
    const keyType = keyTypeOfArgs(args);
    const rotationInterval =
        args.rotationInterval === false
            ? undefined
            : (args.rotationInterval ??
              (facts.rotationLimits[keyType] ? facts.defaultRotationInterval : undefined));
    const protect = args.protect ?? true;
    const weakened: SecretsEncryptionKeyPlan["weakened"] = [];
    if (args.rotationInterval === false && keyType !== "hsm") {
        weakened.push("rotation");
    }
    if (!protect) {
        weakened.push("protect");
    }
    return {
        keySpec: args.keySpec ?? facts.secretsKeySpec,
        protectionLevel: args.protectionLevel ?? "SOFTWARE",
        keyType,
        rotationInterval,
        pendingWindowInDays: args.pendingWindowInDays ?? facts.pendingWindowInDays.default,
        protect,
        weakened,
    };
}

/** The deletion-protection description KMS shows to whoever tries to delete the key. */
export function deletionProtectionDescription(boundTo: string): string {
    return `Encrypts the Kubernetes Secrets of ${boundTo}; deleting or disabling it makes them unreadable.`;
}

/**
 * A KMS key fit for ACK Secret encryption: symmetric `Aliyun_AES_256`, ENCRYPT/DECRYPT, rotating
 * where its type allows, with KMS deletion protection on and `protect: true` in Pulumi.
 */
export class SecretsEncryptionKey extends pulumi.ComponentResource {
    static readonly __pulumiType = "ack-kms:index:SecretsEncryptionKey";

    /** The key's id, the value ACK's `encryptionProviderKey` takes. */
    public readonly keyId: pulumi.Output<string>;
    /** The key's ARN (`acs:kms:<region>:<account>:key/<id>`). */
    public readonly keyArn: pulumi.Output<string>;
    /** `default`, `software` or `hsm`: what decides the rotation limits. */
    public readonly keyType: pulumi.Output<facts.KeyType>;
    /** The rotation interval in effect, or undefined when rotation is off. */
    public readonly rotationInterval: pulumi.Output<string | undefined>;
    /** The `alicloud.kms.Key` child. */
    public readonly key: alicloud.kms.Key;

    constructor(
        name: string,
        args: SecretsEncryptionKeyArgs = {},
        opts?: pulumi.ComponentResourceOptions,
    ) {
        throwProblems(validateKeyArgs(args));
        const plan = planKey(args);
        super(SecretsEncryptionKey.__pulumiType, name, {}, opts);

        if (plan.weakened.includes("rotation")) {
            void pulumi.log.warn(
                `[rotationInterval] false turns automatic rotation off for ${describeValue(name)}: ` +
                    "the key material never changes; rotate at least every 365d.",
                this,
            );
        }
        if (plan.weakened.includes("protect")) {
            void pulumi.log.warn(
                `[protect] false lets \`pulumi destroy\` schedule the deletion of key ${describeValue(name)}: ` +
                    "a cluster bound to it loses its Secrets when the key is gone.",
                this,
            );
        }

        const boundTo = checkInput(
            args.boundTo ?? `ack-kms ${name}`,
            (plain) =>
                textProblem(
                    "boundTo",
                    plain,
                    maxBoundToLength,
                    "omit boundTo for the component name",
                ),
            this,
        );
        const description =
            args.description === undefined
                ? boundTo.apply((target) => `Kubernetes Secret encryption key for ${target}`)
                : checkInput(
                      args.description,
                      (plain) =>
                          textProblem(
                              "description",
                              plain,
                              maxKeyDescriptionLength,
                              "omit description for the default",
                          ),
                      this,
                  );
        const dkmsInstanceId =
            args.dkmsInstanceId === undefined
                ? undefined
                : checkInput(args.dkmsInstanceId, dkmsInstanceIdProblem, this);
        this.key = new alicloud.kms.Key(
            name,
            {
                keyUsage: facts.secretsKeyUsage,
                keySpec: plan.keySpec,
                protectionLevel: plan.protectionLevel,
                dkmsInstanceId,
                origin: "Aliyun_KMS",
                status: facts.keyStates.enabled,
                automaticRotation: plan.rotationInterval ? facts.enabled : "Disabled",
                rotationInterval: plan.rotationInterval,
                pendingWindowInDays: plan.pendingWindowInDays,
                deletionProtection: facts.enabled,
                deletionProtectionDescription: boundTo.apply(deletionProtectionDescription),
                description,
                tags: args.tags,
            },
            { parent: this, protect: plan.protect },
        );

        this.keyId = this.key.id;
        this.keyArn = this.key.arn;
        this.keyType = pulumi.output(plan.keyType);
        this.rotationInterval = pulumi.output(plan.rotationInterval);
        this.registerOutputs({
            keyId: this.keyId,
            keyArn: this.keyArn,
            keyType: this.keyType,
            rotationInterval: this.rotationInterval,
        });
    }
}
