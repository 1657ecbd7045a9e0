import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MockRun, setupMocks, valueOf } from "../support/mocks";

const types = {
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    job: "kubernetes:batch/v1:Job",
};

const guideCommand =
    "kubectl get secrets --all-namespaces -o json | kubectl annotate --overwrite -f - encryption-key-rotation-time=\"$(date -u +'%Y-%m-%dT%H:%M:%S%z')\"";

describe("SecretsReencryption", () => {
    let run: MockRun;
    let mod: typeof import("../../components/secretsReencryption");
    let k8s: typeof import("@pulumi/kubernetes");

    beforeEach(async () => {
        // The kubernetes provider auto-names resources; the mock does what it would.
        run = await setupMocks({
            outputs: ({ type, name, inputs }) =>
                type.startsWith("kubernetes:")
                    ? {
                          metadata: {
                              ...inputs.metadata,
                              name: inputs.metadata?.name ?? `${name}-a1b2c3`,
                          },
                      }
                    : undefined,
        });
        mod = await import("../../components/secretsReencryption");
        k8s = await import("@pulumi/kubernetes");
    });

    function provider() {
        return new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    }

    function script(job: { inputs: Record<string, any> }): string {
        const command = job.inputs.spec.template.spec.containers[0].command as string[];
        assert.deepEqual(command.slice(0, 2), ["/bin/sh", "-c"]);
        return command[2];
    }

    it("grants the ServiceAccount exactly get, list, patch and update on Secrets, cluster-wide", async () => {
        new mod.SecretsReencryption("re", { provider: provider(), rotationMarker: "v1" });
        await run.settle();
        const role = run.get(types.clusterRole, "re-role");
        assert.deepEqual(role.inputs.rules, [
            { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "patch", "update"] },
        ]);
        const binding = run.get(types.clusterRoleBinding, "re-binding");
        const sa = run.get(types.serviceAccount, "re-sa");
        assert.deepEqual(binding.inputs.roleRef, {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "re-role-a1b2c3",
        });
        assert.deepEqual(binding.inputs.subjects, [
            { kind: "ServiceAccount", name: "re-sa-a1b2c3", namespace: "kube-system" },
        ]);
        assert.equal(
            run.get(types.job, "re-job").inputs.spec.template.spec.serviceAccountName,
            "re-sa-a1b2c3",
        );
        assert.equal(sa.inputs.metadata.namespace, "kube-system");
        assert.equal(run.ofType(types.roleBinding).length, 0);
    });

    it("runs the ACK guide's annotate command verbatim by default", async () => {
        new mod.SecretsReencryption("re", { provider: provider(), rotationMarker: "v1" });
        await run.settle();
        const lines = script(run.get(types.job, "re-job")).split("\n");
        assert.equal(lines[lines.length - 1], guideCommand);
        assert.equal(lines[0], "set -eu");
    });

    it("runs get | replace in replace mode, which moves Secrets to KMS v2", async () => {
        new mod.SecretsReencryption("re", {
            provider: provider(),
            rotationMarker: "v1",
            mode: "replace",
        });
        await run.settle();
        const lines = script(run.get(types.job, "re-job")).split("\n");
        assert.equal(
            lines[lines.length - 1],
            "kubectl get secrets -A -o json | kubectl replace -f -",
        );
    });

    it("binds per namespace and scopes the command when namespaces are given", async () => {
        new mod.SecretsReencryption("re", {
            provider: provider(),
            rotationMarker: "v1",
            namespaces: ["app", "payments"],
        });
        await run.settle();
        assert.equal(run.ofType(types.clusterRoleBinding).length, 0);
        assert.deepEqual(
            run.ofType(types.roleBinding).map((b) => b.inputs.metadata.namespace),
            ["app", "payments"],
        );
        const lines = script(run.get(types.job, "re-job")).split("\n").slice(2);
        assert.deepEqual(lines, [
            "kubectl get secrets --namespace app -o json | kubectl annotate --overwrite -f - encryption-key-rotation-time=\"$(date -u +'%Y-%m-%dT%H:%M:%S%z')\"",
            "kubectl get secrets --namespace payments -o json | kubectl annotate --overwrite -f - encryption-key-rotation-time=\"$(date -u +'%Y-%m-%dT%H:%M:%S%z')\"",
        ]);
    });

    it("names the Job from the marker, so a new marker means a new Job", async () => {
        const a = new mod.SecretsReencryption("a", { provider: provider(), rotationMarker: "v1" });
        const b = new mod.SecretsReencryption("b", { provider: provider(), rotationMarker: "v2" });
        const c = new mod.SecretsReencryption("c", { provider: provider(), rotationMarker: "v1" });
        await run.settle();
        const [nameA, nameB, nameC] = await Promise.all([a, b, c].map((r) => valueOf(r.jobName)));
        assert.equal(nameA, mod.reencryptionJobName("v1"));
        assert.equal(nameC, nameA);
        assert.notEqual(nameB, nameA);
        assert.equal(run.get(types.job, "a-job").inputs.metadata.name, nameA);
        assert.equal(run.ofType(types.job).length, 3);
    });

    it("passes backoffLimit, ttlSecondsAfterFinished, the image and the provider to the Job", async () => {
        new mod.SecretsReencryption("re", {
            provider: provider(),
            rotationMarker: "v1",
            backoffLimit: 1,
            ttlSecondsAfterFinished: 600,
            image: "registry.example.com/kubectl:1.31",
        });
        await run.settle();
        const job = run.get(types.job, "re-job");
        assert.equal(job.inputs.spec.backoffLimit, 1);
        assert.equal(job.inputs.spec.ttlSecondsAfterFinished, 600);
        assert.equal(
            job.inputs.spec.template.spec.containers[0].image,
            "registry.example.com/kubectl:1.31",
        );
        assert.equal(job.inputs.spec.template.spec.restartPolicy, "Never");
        assert.match(job.provider ?? "", /::cluster::/);
    });

    it("defaults to a pinned kubectl image and 3 retries, and runs as non-root", async () => {
        new mod.SecretsReencryption("re", { provider: provider(), rotationMarker: "v1" });
        await run.settle();
        const spec = run.get(types.job, "re-job").inputs.spec;
        assert.equal(spec.template.spec.containers[0].image, "alpine/k8s:1.31.4");
        assert.match(mod.defaultReencryptionImage, /:[0-9]+\.[0-9]+\.[0-9]+$/);
        assert.equal(spec.backoffLimit, 3);
        assert.equal(spec.template.spec.securityContext.runAsNonRoot, true);
        assert.equal(
            spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation,
            false,
        );
    });

    it("fails the deployment when the marker resolves to an empty string", async () => {
        const re = new mod.SecretsReencryption("re", {
            provider: provider(),
            rotationMarker: pulumi.output(""),
        });
        await assert.rejects(valueOf(re.jobName), {
            message:
                /\[rotationMarker\] "" is empty: pass a value that changes with each key rotation, such as the key's primaryKeyVersion\./,
        });
    });
});

describe("SecretsReencryption argument checks", () => {
    let mod: typeof import("../../components/secretsReencryption");
    before(async () => {
        mod = await import("../../components/secretsReencryption");
    });
    // Marked as the SDK marks a kubernetes Provider, so the checks below reach the other args.
    const kubernetesProvider = {
        __pulumiResource: true,
        __pulumiCustomResource: true,
        pkg: "kubernetes",
    } as any;
    const base = () => ({ provider: kubernetesProvider, rotationMarker: "v1" });
    const cases: Array<[string, Record<string, unknown>, string]> = [
        [
            "mode",
            { mode: "rewrite" },
            '[mode] "rewrite" is not a mode: use "annotate" or "replace".',
        ],
        [
            "empty namespaces",
            { namespaces: [] },
            "[namespaces] is empty: leave it unset to rewrite Secrets in every namespace.",
        ],
        [
            "bad namespace",
            { namespaces: ["ok", "Bad_NS"] },
            '[namespaces] "Bad_NS" is not a namespace name: use lowercase letters, digits and "-", at most 63 characters.',
        ],
        [
            "bad job namespace",
            { namespace: "-x" },
            '[namespace] "-x" is not a namespace name: use lowercase letters, digits and "-", at most 63 characters.',
        ],
        [
            "backoffLimit",
            { backoffLimit: 11 },
            "[backoffLimit] 11 is out of range: use a whole number from 0 to 10.",
        ],
        [
            "ttl",
            { ttlSecondsAfterFinished: -1 },
            "[ttlSecondsAfterFinished] -1 is out of range: use a whole number 0 or more.",
        ],
        [
            "timeout",
            { timeoutMinutes: 0.5 },
            "[timeoutMinutes] 0.5 is out of range: use a whole number from 1 to 1440.",
        ],
        [
            "a plain object as provider",
            { provider: {} },
            "[provider] {} is not a provider: pass the kubernetes Provider of the cluster whose Secrets are rewritten.",
        ],
        [
            "a namespace listed twice",
            { namespaces: ["apps", "apps"] },
            '[namespaces] "apps" is listed twice: list each namespace once.',
        ],
        [
            "provider",
            { provider: undefined },
            "[provider] is required: pass the kubernetes Provider of the cluster whose Secrets are rewritten.",
        ],
    ];
    for (const [what, override, message] of cases) {
        it(`rejects ${what} with an exact message`, () => {
            assert.deepStrictEqual(
                mod.validateSecretsReencryptionArgs({ ...base(), ...override } as any),
                [message],
            );
        });
    }

    it("rejects a provider of another package, naming it", async () => {
        const alicloud = await import("@pulumi/alicloud");
        assert.deepStrictEqual(
            mod.validateSecretsReencryptionArgs({
                ...base(),
                provider: new alicloud.Provider("cloud", { region: "cn-hangzhou" }),
            }),
            [
                '[provider] is a provider of the "alicloud" package: pass the kubernetes Provider of the cluster whose Secrets are rewritten.',
            ],
        );
    });

    it("rejects an image with spaces", () => {
        assert.equal(
            mod.imageProblem("kubectl latest"),
            '[image] "kubectl latest" is not an image reference: use e.g. "alpine/k8s:1.31.4".',
        );
    });

    it("makes valid, bounded DNS-1123 Job names from any marker", () => {
        const markers = ["v1", "Key-Version/2024_01:AB", "x".repeat(300), "---", "ÄÖÜ"];
        const names = markers.map(mod.reencryptionJobName);
        for (const name of names) {
            assert.ok(name.length <= 63, name);
            assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        }
        assert.equal(new Set(names).size, markers.length);
        assert.notEqual(
            mod.reencryptionJobName("x".repeat(300)),
            mod.reencryptionJobName("x".repeat(301)),
        );
    });
});
