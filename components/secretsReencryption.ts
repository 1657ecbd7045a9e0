// Over 400 lines as one unit: the component, its args, their checks and its Job's script.
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { kubernetes } from "./kubernetes";
import {
    argNames,
    argsProblems,
    checkInput,
    describeValue,
    invalid,
    isKnown,
    plainValueProblem,
    problemList,
    throwProblems,
} from "./validation";

export type ReencryptionMode = "annotate" | "replace";
export const reencryptionModes: readonly ReencryptionMode[] = ["annotate", "replace"];

/** A kubectl image with a POSIX shell (the commands pipe two kubectl calls), pinned. */
export const defaultReencryptionImage = "alpine/k8s:1.31.4";

export interface SecretsReencryptionArgs {
    /**
     * The Kubernetes provider (`new k8s.Provider(...)`) of the cluster whose Secrets are rewritten.
     * Plain value. Typed as a ProviderResource so that importing ack-kms does not make the type
     * checker read @pulumi/kubernetes' declarations (about a second on each type-checked run).
     */
    provider: pulumi.ProviderResource;
    /**
     * A value that changes with each key rotation, such as the KMS key's `primaryKeyVersion`
     * (`alicloud.kms.Key` outputs it; refresh the stack to see a rotation KMS made on its own).
     * Each new value runs a new Job, named from it.
     */
    rotationMarker: pulumi.Input<string>;
    /**
     * How Secrets are rewritten. Plain value. Defaults to `annotate`:
     * - `annotate` runs the ACK guide's command, which sets the `encryption-key-rotation-time`
     *   annotation on every Secret so the API server stores it again with the current key version;
     * - `replace` runs `kubectl get secrets -A -o json | kubectl replace -f -`, which also moves
     *   Secrets to KMS v2 on Kubernetes 1.31 and later.
     * See https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/use-kms-to-encrypt-kubernetes-secrets.
     */
    mode?: ReencryptionMode;
    /**
     * Rewrite Secrets only in these namespaces; the permissions are then bound per namespace
     * (RoleBindings) instead of cluster-wide. Plain value. Defaults to every namespace.
     */
    namespaces?: string[];
    /** The namespace of the ServiceAccount and the Job. Plain value. Defaults to `kube-system`. */
    namespace?: string;
    /**
     * The image that runs kubectl; it needs `sh`, `kubectl` and `date`. Defaults to
     * `alpine/k8s:1.31.4` (mirror it to your registry where Docker Hub is out of reach).
     */
    image?: pulumi.Input<string>;
    /** Retries of a failed Job pod. Plain value, 0 to 10. Defaults to 3. */
    backoffLimit?: number;
    /**
     * Seconds after which Kubernetes deletes the finished Job. Plain value. Defaults to unset
     * (the Job stays, so the stack's state keeps matching the cluster; a later marker replaces it).
     * When set, a `pulumi refresh` after the deletion makes the next `pulumi up` run the Job again.
     */
    ttlSecondsAfterFinished?: number;
    /** How long Pulumi waits for the Job to complete. Plain value. Defaults to 30. */
    timeoutMinutes?: number;
}

/** The names SecretsReencryptionArgs takes; anything else is refused. */
export const secretsReencryptionArgNames = argNames<SecretsReencryptionArgs>({
    provider: true,
    rotationMarker: true,
    mode: true,
    namespaces: true,
    namespace: true,
    image: true,
    backoffLimit: true,
    ttlSecondsAfterFinished: true,
    timeoutMinutes: true,
});

/** The verbs the commands need on Secrets: read them (get, list), write them back (patch, update). */
export const reencryptionSecretVerbs = ["get", "list", "patch", "update"] as const;

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const jobNamePrefix = "reencrypt-secrets-";
/** Job names become a pod label value, so 63 characters at most. */
const jobNameMaxLength = 63;

/**
 * The Job's name for a rotation marker: a valid DNS-1123 label of at most 63 characters, with a
 * hash of the whole marker so two markers never share a name.
 */
export function reencryptionJobName(rotationMarker: string): string {
    const hash = createHash("sha256").update(rotationMarker).digest("hex").slice(0, 8);
    const room = jobNameMaxLength - jobNamePrefix.length - hash.length - 1;
    const readable = rotationMarker
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-{2,}/g, "-")
        .replace(/^-+/, "")
        .slice(0, room)
        .replace(/-+$/, "");
    return `${jobNamePrefix}${readable ? `${readable}-` : ""}${hash}`;
}

/** The ACK guide's command, verbatim, for all namespaces or, per namespace, with `--namespace`. */
export function annotateCommand(namespace?: string): string {
    const scope = namespace === undefined ? "--all-namespaces" : `--namespace ${namespace}`;
    return `kubectl get secrets ${scope} -o json | kubectl annotate --overwrite -f - encryption-key-rotation-time="$(date -u +'%Y-%m-%dT%H:%M:%S%z')"`;
}

export function replaceCommand(namespace?: string): string {
    const scope = namespace === undefined ? "-A" : `--namespace ${namespace}`;
    return `kubectl get secrets ${scope} -o json | kubectl replace -f -`;
}

/** The Job's shell script: stop at the first failure, including inside a pipe where the shell can. */
export function reencryptionScript(mode: ReencryptionMode, namespaces?: readonly string[]): string {
    const command = mode === "annotate" ? annotateCommand : replaceCommand;
    const lines = namespaces === undefined ? [command()] : namespaces.map((ns) => command(ns));
    return ["set -eu", "(set -o pipefail) 2>/dev/null && set -o pipefail", ...lines].join("\n");
}

function wholeNumberProblem(arg: string, value: unknown, min: number, max?: number) {
    if (
        value === undefined ||
        (typeof value === "number" &&
            Number.isInteger(value) &&
            value >= min &&
            (max === undefined || value <= max))
    ) {
        return undefined;
    }
    const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
    return (
        plainValueProblem(arg, value, `a whole number ${range}`) ??
        invalid(arg, value, `is out of range: use a whole number ${range}.`)
    );
}

const providerHint = "pass the kubernetes Provider of the cluster whose Secrets are rewritten.";

function providerProblem(provider: unknown): string | undefined {
    if (provider === undefined) {
        return `[provider] is required: ${providerHint}`;
    }
    // The SDK keeps a provider's package in `pkg` (not in its typings).
    const pkg = (provider as { pkg?: unknown } | null)?.pkg;
    if (!pulumi.CustomResource.isInstance(provider) || typeof pkg !== "string") {
        return invalid("provider", provider, `is not a provider: ${providerHint}`);
    }
    if (pkg !== "kubernetes") {
        return `[provider] is a provider of the ${describeValue(pkg)} package: ${providerHint}`;
    }
    return undefined;
}

const namespaceHint =
    'is not a namespace name: use lowercase letters, digits and "-", at most 63 characters.';

function namespaceProblem(arg: string, ns: unknown): string | undefined {
    return typeof ns === "string" && ns.length <= 63 && dns1123Label.test(ns)
        ? undefined
        : (plainValueProblem(arg, ns, "a namespace name") ?? invalid(arg, ns, namespaceHint));
}

function namespacesProblem(namespaces: unknown): string | undefined {
    if (namespaces === undefined) {
        return undefined;
    }
    if (!Array.isArray(namespaces)) {
        return (
            plainValueProblem("namespaces", namespaces, "a list of namespace names") ??
            invalid(
                "namespaces",
                namespaces,
                'is not valid: use a list of namespace names, e.g. ["default"], or leave it unset for every namespace.',
            )
        );
    }
    if (namespaces.length === 0) {
        return "[namespaces] is empty: leave it unset to rewrite Secrets in every namespace.";
    }
    const seen = new Set<unknown>();
    for (const ns of namespaces) {
        const problem = namespaceProblem("namespaces", ns);
        if (problem) {
            return problem;
        }
        if (seen.has(ns)) {
            return invalid("namespaces", ns, "is listed twice: list each namespace once.");
        }
        seen.add(ns);
    }
    return undefined;
}

/** The problems with the plain args of a SecretsReencryption, all at once. */
export function validateSecretsReencryptionArgs(args: SecretsReencryptionArgs): string[] {
    return argsProblems<SecretsReencryptionArgs>(
        "SecretsReencryption",
        args,
        secretsReencryptionArgNames,
        (a) => [
            providerProblem(a.provider),
            isKnown(a.rotationMarker) ? rotationMarkerProblem(a.rotationMarker) : undefined,
            ...secretsReencryptionOptionProblems(a),
        ],
    );
}

/**
 * Problems with the options of a SecretsReencryption: every arg but `provider` and
 * `rotationMarker`, which another component (EncryptedCluster) makes itself and passes later.
 */
export function secretsReencryptionOptionProblems(
    options: Omit<SecretsReencryptionArgs, "provider" | "rotationMarker">,
): string[] {
    return problemList([
        options.mode === undefined || reencryptionModes.includes(options.mode)
            ? undefined
            : (plainValueProblem("mode", options.mode, '"annotate" or "replace"') ??
              invalid("mode", options.mode, 'is not a mode: use "annotate" or "replace".')),
        namespacesProblem(options.namespaces),
        options.namespace === undefined
            ? undefined
            : namespaceProblem("namespace", options.namespace),
        isKnown(options.image) && options.image !== undefined
            ? imageProblem(options.image)
            : undefined,
        wholeNumberProblem("backoffLimit", options.backoffLimit, 0, 10),
        wholeNumberProblem("ttlSecondsAfterFinished", options.ttlSecondsAfterFinished, 0),
        wholeNumberProblem("timeoutMinutes", options.timeoutMinutes, 1, 1440),
    ]);
}

/** Longest rotation marker taken (a key version id is 36 characters). */
export const maxRotationMarkerLength = 253;

export function rotationMarkerProblem(marker: unknown): string | undefined {
    const hint =
        "pass a value that changes with each key rotation, such as the key's primaryKeyVersion.";
    if (typeof marker !== "string") {
        return invalid("rotationMarker", marker, `is not a string: ${hint}`);
    }
    if (marker.length > maxRotationMarkerLength) {
        return invalid(
            "rotationMarker",
            marker,
            `is too long: use at most ${maxRotationMarkerLength} characters; ${hint}`,
        );
    }
    return marker.trim() !== ""
        ? undefined
        : invalid("rotationMarker", marker, `is empty: ${hint}`);
}

export function imageProblem(image: unknown): string | undefined {
    return typeof image === "string" &&
        image.trim() !== "" &&
        !/\s/.test(image) &&
        image.length <= 1024
        ? undefined
        : invalid("image", image, 'is not an image reference: use e.g. "alpine/k8s:1.31.4".');
}

/**
 * Rewrites every Kubernetes Secret after the KMS key rotates, so the API server encrypts each one
 * with the current key version (KMS automatic rotation only affects Secrets written afterwards).
 * A ServiceAccount with only get/list/patch/update on Secrets runs a Job per rotation marker.
 */
export class SecretsReencryption extends pulumi.ComponentResource {
    public static readonly __pulumiType = "ack-kms:index:SecretsReencryption";

    public readonly jobName: pulumi.Output<string>;
    public readonly namespace: pulumi.Output<string>;
    public readonly serviceAccountName: pulumi.Output<string>;
    public readonly clusterRoleName: pulumi.Output<string>;

    constructor(
        name: string,
        args: SecretsReencryptionArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        throwProblems(validateSecretsReencryptionArgs(args));
        super(SecretsReencryption.__pulumiType, name, args, opts);
        const mode = args.mode ?? "annotate";
        const namespace = args.namespace ?? "kube-system";
        const marker = checkInput(args.rotationMarker, rotationMarkerProblem, this);
        const image = checkInput(
            args.image === undefined ? defaultReencryptionImage : args.image,
            imageProblem,
            this,
        );
        const childOpts = { parent: this, provider: args.provider };
        const k8s = kubernetes();
        const labels = {
            "app.kubernetes.io/name": "secrets-reencryption",
            "app.kubernetes.io/instance": name,
        };

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            { metadata: { namespace, labels } },
            childOpts,
        );
        const clusterRole = new k8s.rbac.v1.ClusterRole(
            `${name}-role`,
            {
                metadata: { labels },
                rules: [
                    {
                        apiGroups: [""],
                        resources: ["secrets"],
                        verbs: [...reencryptionSecretVerbs],
                    },
                ],
            },
            childOpts,
        );
        const subjects = [
            { kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace },
        ];
        const roleRef = {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: clusterRole.metadata.name,
        };
        const bindings: pulumi.Resource[] =
            args.namespaces === undefined
                ? [
                      new k8s.rbac.v1.ClusterRoleBinding(
                          `${name}-binding`,
                          { metadata: { labels }, subjects, roleRef },
                          childOpts,
                      ),
                  ]
                : args.namespaces.map(
                      (ns) =>
                          new k8s.rbac.v1.RoleBinding(
                              `${name}-binding-${ns}`,
                              { metadata: { namespace: ns, labels }, subjects, roleRef },
                              childOpts,
                          ),
                  );

        const jobName = marker.apply(reencryptionJobName);
        const job = new k8s.batch.v1.Job(
            `${name}-job`,
            {
                metadata: {
                    name: jobName,
                    namespace,
                    labels,
                    annotations: { "ack-kms/rotation-marker": marker },
                },
                spec: {
                    backoffLimit: args.backoffLimit ?? 3,
                    ttlSecondsAfterFinished: args.ttlSecondsAfterFinished,
                    template: {
                        metadata: { labels },
                        spec: {
                            serviceAccountName: serviceAccount.metadata.name,
                            restartPolicy: "Never",
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: 65534,
                                runAsGroup: 65534,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            containers: [
                                {
                                    name: "reencrypt",
                                    image,
                                    command: [
                                        "/bin/sh",
                                        "-c",
                                        reencryptionScript(mode, args.namespaces),
                                    ],
                                    env: [{ name: "HOME", value: "/tmp" }],
                                    securityContext: {
                                        allowPrivilegeEscalation: false,
                                        readOnlyRootFilesystem: true,
                                        capabilities: { drop: ["ALL"] },
                                    },
                                    // kubectl holds every Secret of the cluster as JSON, twice.
                                    resources: {
                                        requests: { cpu: "100m", memory: "128Mi" },
                                        limits: { memory: "1Gi" },
                                    },
                                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                                },
                            ],
                            volumes: [{ name: "tmp", emptyDir: {} }],
                        },
                    },
                },
            },
            {
                ...childOpts,
                dependsOn: bindings,
                customTimeouts: {
                    create: `${args.timeoutMinutes ?? 30}m`,
                    update: `${args.timeoutMinutes ?? 30}m`,
                },
            },
        );

        this.jobName = job.metadata.name;
        this.namespace = pulumi.output(namespace);
        this.serviceAccountName = serviceAccount.metadata.name;
        this.clusterRoleName = clusterRole.metadata.name;
        this.registerOutputs({
            jobName: this.jobName,
            namespace: this.namespace,
            serviceAccountName: this.serviceAccountName,
            clusterRoleName: this.clusterRoleName,
        });
    }
}
