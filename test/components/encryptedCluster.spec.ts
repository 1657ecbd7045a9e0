import * as assert from "assert";
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { isSecret, mockKubeconfig, rejectionMessage, setupMocks, valueOf } from "../support/mocks";
import { EncryptedCluster, EncryptedClusterArgs } from "../../components/encryptedCluster";
import { validateClusterArgs } from "../../components/encryptedCluster/argsValidation";
import { planCluster } from "../../components/encryptedCluster/plan";
import { missingRoleMessage } from "../../components/clusterSecurityRole";
import { reencryptionJobName, reencryptionScript } from "../../components/secretsReencryption";

const t = {
    component: "ack-kms:index:EncryptedCluster",
    keyComponent: "ack-kms:index:SecretsEncryptionKey",
    roleComponent: "ack-kms:index:ClusterSecurityRole",
    denyComponent: "ack-kms:index:DenyKmsEncryptionUpdates",
    key: "alicloud:kms/key:Key",
    role: "alicloud:ram/role:Role",
    rolePolicy: "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
    policy: "alicloud:ram/policy:Policy",
    groupPolicy: "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment",
    managed: "alicloud:cs/managedKubernetes:ManagedKubernetes",
    guardComponent: "ack-kms:index:KeyDeletionGuard",
    dynamic: "pulumi-nodejs:dynamic:Resource",
    serverless: "alicloud:cs/serverlessKubernetes:ServerlessKubernetes",
};
const k8s = {
    provider: "pulumi:providers:kubernetes",
    component: "ack-kms:index:SecretsReencryption",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    job: "kubernetes:batch/v1:Job",
};
const getCredential = "alicloud:cs/getClusterCredential:getClusterCredential";
const getKeys = "alicloud:kms/getKeys:getKeys";
/** How the engine encodes a secret value. */
const secretSignature = ["4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"];
const getRoles = "alicloud:ram/getRoles:getRoles";

const managedArgs = {
    name: "prod",
    vswitchIds: ["vsw-a", "vsw-b"],
    podCidr: "172.20.0.0/16",
    serviceCidr: "172.21.0.0/20",
};

describe("EncryptedCluster", () => {
    describe("with a new key", () => {
        it("creates role, key, cluster and deny policy, with encryption on and the cluster waiting for role and key", async () => {
            const run = await setupMocks();
            const cluster = new EncryptedCluster("prod", {
                cluster: managedArgs,
                key: { rotationInterval: "365d" },
                denyEncryptionUpdates: { groups: ["developers"] },
            });
            await run.settle();

            // Registration order is async; the order that matters is in the dependencies below.
            assert.deepStrictEqual(
                run.resources.map((r) => `${r.type} ${r.name}`).sort(),
                [
                    [t.component, "prod"],
                    [t.roleComponent, "prod-security-role"],
                    [t.role, "prod-security-role-role"],
                    [t.rolePolicy, "prod-security-role-policy"],
                    [t.keyComponent, "prod-key"],
                    [t.key, "prod-key"],
                    [t.managed, "prod"],
                    [t.denyComponent, "prod-deny-encryption-updates"],
                    [t.policy, "prod-deny-encryption-updates-policy"],
                    [t.groupPolicy, "prod-deny-encryption-updates-group-developers"],
                ]
                    .map(([type, name]) => `${type} ${name}`)
                    .sort(),
            );
            const component = run.get(t.component, "prod");
            for (const [type, name] of [
                [t.roleComponent, "prod-security-role"],
                [t.keyComponent, "prod-key"],
                [t.managed, "prod"],
                [t.denyComponent, "prod-deny-encryption-updates"],
            ]) {
                assert.strictEqual(run.get(type, name).parent, component.urn, `${name} parent`);
            }

            const key = run.get(t.key, "prod-key");
            const managed = run.get(t.managed, "prod");
            assert.strictEqual(key.protect, true);
            assert.strictEqual(
                key.inputs.deletionProtectionDescription,
                "Encrypts the Kubernetes Secrets of ACK cluster prod; deleting or disabling it makes them unreadable.",
            );
            assert.deepStrictEqual(managed.inputs, {
                ...managedArgs,
                clusterSpec: "ack.pro.small",
                deletionProtection: true,
                encryptionProviderKey: "prod-key-id",
                disableEncryption: false,
            });
            assert.deepStrictEqual(managed.propertyDependencies.encryptionProviderKey, [key.urn]);
            // The cluster waits for the RAM role and its policy (MissingAuth.AliyuncsManagedSecurityRole).
            const role = run.get(t.role, "prod-security-role-role");
            const attachment = run.get(t.rolePolicy, "prod-security-role-policy");
            assert.ok(managed.dependencies.includes(role.urn), "cluster depends on the role");
            assert.ok(
                managed.dependencies.includes(attachment.urn),
                "cluster depends on the policy",
            );

            const policy = run.get(t.policy, "prod-deny-encryption-updates-policy");
            assert.deepStrictEqual(JSON.parse(policy.inputs.policyDocument).Statement[0].Resource, [
                "acs:cs:*:*:cluster/prod-id",
            ]);
            // protectKeys (on by default) adds a Deny on the bound key: the document depends on it too.
            assert.deepStrictEqual(
                policy.propertyDependencies.policyDocument.sort(),
                [managed.urn, run.get(t.key, "prod-key").urn].sort(),
            );
            assert.deepStrictEqual(JSON.parse(policy.inputs.policyDocument).Statement[1].Resource, [
                "acs:kms:*:*:key/prod-key-id",
            ]);

            assert.strictEqual(await valueOf(cluster.clusterId), "prod-id");
            assert.strictEqual(await valueOf(cluster.keyId), "prod-key-id");
            assert.strictEqual(await valueOf(cluster.kubeconfig), mockKubeconfig);
            assert.strictEqual(await isSecret(cluster.kubeconfig), true);
            assert.deepStrictEqual(
                run.invokes.filter((i) => i.token === getCredential).map((i) => i.inputs),
                [{ clusterId: "prod-id" }],
            );
            assert.deepStrictEqual(run.warnings, []);
        });

        it("makes a new key with the safe defaults when neither key nor keyId is given", async () => {
            const run = await setupMocks();
            new EncryptedCluster("prod", { cluster: managedArgs });
            await run.settle();
            const key = run.resources.find((r) => r.type === t.key && r.name === "prod-key");
            assert.ok(key, "no key registered");
            const cluster = run.resources.find((r) => r.type === t.managed);
            assert.ok(
                cluster?.dependencies.includes(key.urn),
                "the cluster does not wait for its key",
            );
            const withEmptyKey = await setupMocks();
            new EncryptedCluster("prod", { cluster: managedArgs, key: {} });
            await withEmptyKey.settle();
            const explicit = withEmptyKey.resources.find((r) => r.type === t.key);
            assert.deepStrictEqual(key.inputs, explicit?.inputs);
            assert.strictEqual(key.protect, true);
        });

        it("creates an ACK Serverless Pro cluster with the same wiring", async () => {
            const run = await setupMocks();
            new EncryptedCluster("sls", {
                serverless: { vpcId: "vpc-1", vswitchIds: ["vsw-a"] },
                key: {},
            });
            await run.settle();
            const serverless = run.get(t.serverless, "sls");
            assert.deepStrictEqual(serverless.inputs, {
                vpcId: "vpc-1",
                vswitchIds: ["vsw-a"],
                clusterSpec: "ack.pro.small",
                deletionProtection: true,
                encryptionProviderKey: "sls-key-id",
                disableEncryption: false,
            });
            assert.strictEqual(run.ofType(t.managed).length, 0);
            assert.strictEqual(
                run.get(t.key, "sls-key").inputs.deletionProtectionDescription,
                "Encrypts the Kubernetes Secrets of ACK cluster sls; deleting or disabling it makes them unreadable.",
            );
        });

        it("keeps the kubeconfig unknown and secret in preview, without calling the API", async () => {
            const run = await setupMocks({ preview: true });
            const cluster = new EncryptedCluster("p", { cluster: managedArgs, key: {} });
            await run.settle();
            assert.strictEqual(await valueOf(cluster.kubeconfig), undefined);
            assert.strictEqual(await isSecret(cluster.kubeconfig), true);
            assert.strictEqual(await valueOf(cluster.clusterId), undefined);
            assert.deepStrictEqual(
                run.invokes.filter((i) => i.token === getCredential),
                [],
            );
            // Even in preview, the cluster's key input points at the key resource.
            const managed = run.get(t.managed, "p");
            assert.deepStrictEqual(managed.propertyDependencies.encryptionProviderKey, [
                run.get(t.key, "p-key").urn,
            ]);
        });

        it("uses the given clusterSpec and warns when deletion protection is turned off", async () => {
            const run = await setupMocks();
            new EncryptedCluster("c", {
                cluster: {
                    ...managedArgs,
                    clusterSpec: "ack.pro.xlarge",
                    deletionProtection: false,
                },
                key: {},
            });
            await run.settle();
            const managed = run.get(t.managed, "c");
            assert.strictEqual(managed.inputs.clusterSpec, "ack.pro.xlarge");
            assert.strictEqual(managed.inputs.deletionProtection, false);
            assert.deepStrictEqual(run.warnings, [
                '[cluster.deletionProtection] false lets cluster "c" be deleted through the API or console with all its Secrets.',
            ]);
        });

        it("defaults an Output clusterSpec that resolves to undefined to ack.pro.small", async () => {
            const run = await setupMocks();
            new EncryptedCluster("c", {
                cluster: { ...managedArgs, clusterSpec: pulumi.output(undefined) },
                key: {},
            });
            await run.settle();
            assert.strictEqual(run.get(t.managed, "c").inputs.clusterSpec, "ack.pro.small");
        });

        it("fails the deployment when an Output clusterSpec is ack.standard", async () => {
            const run = await setupMocks();
            const cluster = new EncryptedCluster("c", {
                cluster: { ...managedArgs, clusterSpec: pulumi.output("ack.standard") },
                key: {},
            });
            assert.strictEqual(
                await rejectionMessage(valueOf(cluster.clusterId)),
                '[cluster.clusterSpec] "ack.standard" is not allowed: Secret encryption with KMS needs ACK Pro; use an ack.pro.* spec such as ack.pro.small.',
            );
            await run.settle();
            assert.strictEqual(run.ofType(t.managed).length, 0);
        });
    });

    describe("security role", () => {
        it("skips the role with securityRole: false", async () => {
            const run = await setupMocks();
            new EncryptedCluster("c", { cluster: managedArgs, key: {}, securityRole: false });
            await run.settle();
            assert.strictEqual(run.ofType(t.roleComponent).length, 0);
            assert.strictEqual(run.ofType(t.role).length, 0);
            assert.deepStrictEqual(run.get(t.managed, "c").dependencies, [
                run.get(t.key, "c-key").urn,
            ]);
        });

        it('checks an existing role before creating the cluster (mode "existing")', async () => {
            const run = await setupMocks({ preview: true });
            new EncryptedCluster("c", {
                cluster: managedArgs,
                key: {},
                securityRole: { mode: "existing" },
            });
            await run.settle();
            assert.strictEqual(run.ofType(t.role).length, 0);
            assert.ok(run.invokes.some((i) => i.token === getRoles));
            assert.strictEqual(run.ofType(t.managed).length, 1);
        });

        it("does not create the cluster when the existing role is missing", async () => {
            const run = await setupMocks({
                preview: true,
                calls: { [getRoles]: () => ({ roles: [] }) },
            });
            const cluster = new EncryptedCluster("c", {
                cluster: managedArgs,
                key: {},
                securityRole: { mode: "existing" },
            });
            assert.strictEqual(
                await rejectionMessage(valueOf(cluster.clusterId)),
                missingRoleMessage(),
            );
            await run.settle();
            assert.strictEqual(run.ofType(t.managed).length, 0);
        });
    });

    describe("with an existing key", () => {
        it("binds the cluster to the key id and warns when the guard is turned off", async () => {
            const run = await setupMocks();
            const cluster = new EncryptedCluster("c", {
                cluster: managedArgs,
                keyId: "key-hzz62f1c3b2d6y4mdp1xx",
                guardKey: false,
            });
            await run.settle();
            assert.strictEqual(run.ofType(t.keyComponent).length, 0);
            assert.strictEqual(
                run.get(t.managed, "c").inputs.encryptionProviderKey,
                "key-hzz62f1c3b2d6y4mdp1xx",
            );
            assert.strictEqual(await valueOf(cluster.keyId), "key-hzz62f1c3b2d6y4mdp1xx");
            assert.deepStrictEqual(run.warnings, [
                "[guardKey] false: the existing key is not checked before the cluster is created and its KMS deletion protection is not turned on; deleting the key would make the cluster's Secrets unreadable.",
            ]);
        });

        it("guards the key before the cluster, in the configured region, by default", async () => {
            const run = await setupMocks({ config: { "alicloud:region": "cn-shanghai" } });
            new EncryptedCluster("c", {
                cluster: { ...managedArgs, name: "payments" },
                keyId: "key-sh62f1c3b2d6y4mdp1xx",
            });
            await run.settle();
            const component = run.get(t.component, "c");
            const guardComponent = run.get(t.guardComponent, "c-key-guard");
            const guard = run.get(t.dynamic, "c-key-guard-deletion-protection");
            assert.strictEqual(guardComponent.parent, component.urn);
            assert.strictEqual(guard.parent, guardComponent.urn);
            assert.strictEqual(guard.inputs.kind, "ack-kms:KeyDeletionGuard");
            assert.strictEqual(guard.inputs.keyId, "key-sh62f1c3b2d6y4mdp1xx");
            assert.strictEqual(guard.inputs.regionId, "cn-shanghai");
            assert.strictEqual(guard.inputs.boundTo, "ACK cluster payments");
            const managed = run.get(t.managed, "c");
            assert.ok(managed.dependencies.includes(guard.urn), "cluster depends on the guard");
            assert.strictEqual(managed.inputs.encryptionProviderKey, "key-sh62f1c3b2d6y4mdp1xx");
            assert.deepStrictEqual(run.warnings, []);
        });

        it("binds the cluster to the id inside a key ARN and takes regionId over the config", async () => {
            const run = await setupMocks({ config: { "alicloud:region": "cn-hangzhou" } });
            const arn = "acs:kms:cn-beijing:1234567890123456:key/key-bj62f1c3b2d6y4mdp1xx";
            const cluster = new EncryptedCluster("c", {
                cluster: managedArgs,
                keyId: arn,
                regionId: "cn-beijing",
            });
            await run.settle();
            const guard = run.get(t.dynamic, "c-key-guard-deletion-protection");
            assert.strictEqual(guard.inputs.keyId, arn);
            assert.strictEqual(guard.inputs.regionId, "cn-beijing");
            assert.strictEqual(
                run.get(t.managed, "c").inputs.encryptionProviderKey,
                "key-bj62f1c3b2d6y4mdp1xx",
            );
            assert.strictEqual(await valueOf(cluster.keyId), "key-bj62f1c3b2d6y4mdp1xx");
        });

        it("fails the deployment when an Output key id is empty", async () => {
            await setupMocks();
            const cluster = new EncryptedCluster("c", {
                cluster: managedArgs,
                keyId: pulumi.output(""),
                guardKey: false,
            });
            assert.strictEqual(
                await rejectionMessage(valueOf(cluster.clusterId)),
                '[keyId] "" is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).',
            );
        });
    });

    describe("reencryptOnRotation", () => {
        /** Mocks where a new KMS key reports this primary key version. */
        const withKeyVersion = (primaryKeyVersion: string, preview = false) =>
            setupMocks({
                preview,
                outputs: ({ type }) =>
                    type === t.key && !preview ? { primaryKeyVersion } : undefined,
            });
        const serverlessArgs = { vpcId: "vpc-1", vswitchIds: ["vsw-a"] };

        it("registers a Kubernetes provider from the kubeconfig, as a secret, and the re-encryption under the cluster", async () => {
            const run = await withKeyVersion("v-1");
            const cluster = new EncryptedCluster("prod", {
                cluster: managedArgs,
                key: {},
                reencryptOnRotation: { after: [] },
            });
            await run.settle();

            const component = run.get(t.component, "prod");
            const provider = run.get(k8s.provider, "prod-k8s");
            assert.strictEqual(provider.parent, component.urn);
            assert.deepStrictEqual(provider.rawInputs.kubeconfig, {
                [secretSignature[0]]: secretSignature[1],
                value: mockKubeconfig,
            });
            const managed = run.get(t.managed, "prod");
            assert.deepStrictEqual(provider.dependencies, [managed.urn]);

            const reencryption = run.get(k8s.component, "prod-reencrypt");
            assert.strictEqual(reencryption.parent, component.urn);
            assert.ok(reencryption.dependencies.includes(managed.urn), "waits for the cluster");
            for (const [type, name] of [
                [k8s.serviceAccount, "prod-reencrypt-sa"],
                [k8s.clusterRole, "prod-reencrypt-role"],
                [k8s.clusterRoleBinding, "prod-reencrypt-binding"],
                [k8s.job, "prod-reencrypt-job"],
            ]) {
                const child = run.get(type, name);
                assert.strictEqual(child.parent, reencryption.urn, `${name} parent`);
                assert.strictEqual(
                    child.provider,
                    `${provider.urn}::prod-k8s-id`,
                    `${name} provider`,
                );
            }
            const job = run.get(k8s.job, "prod-reencrypt-job");
            assert.deepStrictEqual(job.inputs.metadata.annotations, {
                "ack-kms/rotation-marker": "v-1",
            });
            assert.strictEqual(job.inputs.metadata.name, reencryptionJobName("v-1"));
            assert.deepStrictEqual(job.inputs.spec.template.spec.containers[0].command, [
                "/bin/sh",
                "-c",
                reencryptionScript("annotate"),
            ]);
            assert.strictEqual(
                await valueOf(cluster.reencryption!.jobName),
                reencryptionJobName("v-1"),
            );
            assert.strictEqual(await valueOf(cluster.kubernetesProvider!.urn), provider.urn);
            assert.deepStrictEqual(run.warnings, []);
        });

        it("names the Job from the key's primaryKeyVersion, so a new version runs a new Job", async () => {
            const jobNameFor = async (version: string) => {
                const run = await withKeyVersion(version);
                new EncryptedCluster("c", {
                    serverless: serverlessArgs,
                    key: {},
                    reencryptOnRotation: true,
                });
                await run.settle();
                const job = run.get(k8s.job, "c-reencrypt-job");
                assert.deepStrictEqual(job.propertyDependencies["metadata"], [
                    run.get(t.key, "c-key").urn,
                ]);
                return job.inputs.metadata.name as string;
            };
            const first = await jobNameFor("2bd7a3e3-0001");
            const again = await jobNameFor("2bd7a3e3-0001");
            const rotated = await jobNameFor("2bd7a3e3-0002");
            assert.strictEqual(first, reencryptionJobName("2bd7a3e3-0001"));
            assert.strictEqual(again, first);
            assert.strictEqual(rotated, reencryptionJobName("2bd7a3e3-0002"));
            assert.notStrictEqual(rotated, first);
        });

        it("passes the SecretsReencryption options through", async () => {
            const run = await withKeyVersion("v-1");
            new EncryptedCluster("c", {
                serverless: serverlessArgs,
                key: {},
                reencryptOnRotation: {
                    mode: "replace",
                    namespaces: ["apps", "payments"],
                    namespace: "ack-kms",
                    image: "registry.cn-hangzhou.aliyuncs.com/ops/k8s:1.31.4",
                    backoffLimit: 1,
                    ttlSecondsAfterFinished: 600,
                },
            });
            await run.settle();
            const job = run.get(k8s.job, "c-reencrypt-job");
            assert.strictEqual(job.inputs.metadata.namespace, "ack-kms");
            assert.strictEqual(job.inputs.spec.backoffLimit, 1);
            assert.strictEqual(job.inputs.spec.ttlSecondsAfterFinished, 600);
            const container = job.inputs.spec.template.spec.containers[0];
            assert.strictEqual(container.image, "registry.cn-hangzhou.aliyuncs.com/ops/k8s:1.31.4");
            assert.deepStrictEqual(container.command, [
                "/bin/sh",
                "-c",
                reencryptionScript("replace", ["apps", "payments"]),
            ]);
            assert.deepStrictEqual(
                run.ofType(k8s.roleBinding).map((b) => b.name),
                ["c-reencrypt-binding-apps", "c-reencrypt-binding-payments"],
            );
            assert.strictEqual(run.ofType(k8s.clusterRoleBinding).length, 0);
            assert.deepStrictEqual(run.warnings, []);
        });

        it("makes the Kubernetes resources wait for the node pools given in after", async () => {
            const run = await withKeyVersion("v-1");
            const pool = new alicloud.cs.NodePool("workers", {
                clusterId: "c-existing",
                vswitchIds: ["vsw-a"],
            });
            new EncryptedCluster("c", {
                cluster: managedArgs,
                key: {},
                reencryptOnRotation: { after: [pool] },
            });
            await run.settle();
            const poolUrn = run.get("alicloud:cs/nodePool:NodePool", "workers").urn;
            const provider = run.get(k8s.provider, "c-k8s");
            assert.deepStrictEqual(
                provider.dependencies.sort(),
                [run.get(t.managed, "c").urn, poolUrn].sort(),
            );
            assert.ok(run.get(k8s.component, "c-reencrypt").dependencies.includes(poolUrn));
            assert.deepStrictEqual(run.warnings, []);
        });

        it("takes a Promise of node pools made after the cluster from its id", async () => {
            const run = await withKeyVersion("v-1");
            let addNodePools!: (pools: pulumi.Resource[]) => void;
            const cluster = new EncryptedCluster("c", {
                cluster: managedArgs,
                key: {},
                reencryptOnRotation: { after: new Promise((resolve) => (addNodePools = resolve)) },
            });
            const pool = new alicloud.cs.NodePool("workers", {
                clusterId: cluster.clusterId,
                vswitchIds: ["vsw-a"],
            });
            addNodePools([pool]);
            await run.settle();
            const managed = run.get(t.managed, "c");
            const poolRecord = run.get("alicloud:cs/nodePool:NodePool", "workers");
            assert.deepStrictEqual(poolRecord.propertyDependencies.clusterId, [managed.urn]);
            assert.deepStrictEqual(
                run.get(k8s.provider, "c-k8s").dependencies.sort(),
                [managed.urn, poolRecord.urn].sort(),
            );
            assert.strictEqual(run.ofType(k8s.job).length, 1);
        });

        it("fails the deployment when the Promise in after resolves to something else than resources", async () => {
            const run = await withKeyVersion("v-1");
            const cluster = new EncryptedCluster("c", {
                cluster: managedArgs,
                key: {},
                reencryptOnRotation: {
                    after: Promise.resolve(["np-1"] as unknown as pulumi.Resource[]),
                },
            });
            assert.strictEqual(
                await rejectionMessage(valueOf(cluster.kubernetesProvider!.urn)),
                '[reencryptOnRotation.after[0]] "np-1" is not a resource: pass the cluster\'s node pools, e.g. [nodePool], or a Promise of them.',
            );
            await run.settle();
            assert.strictEqual(run.ofType(k8s.provider).length, 0);
        });

        it("warns on a managed cluster without after, since the Job needs worker nodes", async () => {
            const run = await withKeyVersion("v-1");
            new EncryptedCluster("prod", {
                cluster: managedArgs,
                key: {},
                reencryptOnRotation: true,
            });
            await run.settle();
            assert.deepStrictEqual(run.warnings, [
                '[reencryptOnRotation.after] is not set: the re-encryption Job of cluster "prod" runs on worker nodes and stays Pending until some join; pass the cluster\'s node pools in after (after: [] when its nodes come another way).',
            ]);
            assert.strictEqual(run.ofType(k8s.job).length, 1);
        });

        it("looks up an existing key's primaryKeyVersion, by its id, after the guard checked the key", async () => {
            const arn = "acs:kms:cn-shanghai:1234567890123456:key/key-sh62f1c3b2d6y4mdp1xx";
            let guardIdWhenLookedUp: string | undefined = "not looked up";
            const run = await setupMocks({
                config: { "alicloud:region": "cn-shanghai" },
                calls: {
                    [getKeys]: (inputs) => {
                        guardIdWhenLookedUp = run.resources.find(
                            (r) => r.name === "c-key-guard-deletion-protection",
                        )?.id;
                        return {
                            id: "keys",
                            ids: inputs.ids,
                            keys: [
                                {
                                    id: "key-other",
                                    keyId: "key-other",
                                    primaryKeyVersion: "pkv-other",
                                },
                                {
                                    id: inputs.ids[0],
                                    keyId: inputs.ids[0],
                                    primaryKeyVersion: "pkv-2",
                                },
                            ],
                        };
                    },
                },
            });
            new EncryptedCluster("c", {
                serverless: serverlessArgs,
                keyId: arn,
                reencryptOnRotation: true,
            });
            await run.settle();
            assert.deepStrictEqual(
                run.invokes.filter((i) => i.token === getKeys).map((i) => i.inputs),
                [{ ids: ["key-sh62f1c3b2d6y4mdp1xx"], enableDetails: true }],
            );
            assert.strictEqual(guardIdWhenLookedUp, "c-key-guard-deletion-protection-id");
            const job = run.get(k8s.job, "c-reencrypt-job");
            assert.strictEqual(job.inputs.metadata.name, reencryptionJobName("pkv-2"));
            assert.strictEqual(job.inputs.metadata.annotations["ack-kms/rotation-marker"], "pkv-2");
            assert.strictEqual(
                run.ofType(t.key).length,
                0,
                "no key resource is read into the stack",
            );
        });

        it("fails the deployment when the existing key is not found by the lookup", async () => {
            const run = await setupMocks({
                calls: { [getKeys]: () => ({ id: "keys", keys: [] }) },
            });
            const cluster = new EncryptedCluster("c", {
                serverless: serverlessArgs,
                keyId: "key-gone",
                guardKey: false,
                reencryptOnRotation: true,
            });
            assert.strictEqual(
                await rejectionMessage(valueOf(cluster.reencryption!.jobName)),
                '[keyId] "key-gone" has no primaryKeyVersion in alicloud.kms.getKeys: reencryptOnRotation needs the key in the provider\'s region (alicloud:region); check keyId.',
            );
            await run.settle();
        });

        it("keeps the provider's kubeconfig and the Job name unknown in preview", async () => {
            const run = await withKeyVersion("unused", true);
            const cluster = new EncryptedCluster("p", {
                serverless: serverlessArgs,
                key: {},
                reencryptOnRotation: true,
            });
            await run.settle();
            assert.strictEqual(run.ofType(k8s.provider).length, 1);
            assert.strictEqual(run.ofType(k8s.job).length, 1);
            assert.strictEqual(await valueOf(cluster.reencryption!.jobName), undefined);
            assert.deepStrictEqual(
                run.invokes.filter((i) => i.token === getCredential),
                [],
            );
        });

        it("does not look up an existing key in preview while its guard is still to be created", async () => {
            const run = await setupMocks({
                preview: true,
                config: { "alicloud:region": "cn-hangzhou" },
            });
            new EncryptedCluster("p", {
                serverless: serverlessArgs,
                keyId: "key-hzz62f1c3b2d6y4mdp1xx",
                reencryptOnRotation: true,
            });
            await run.settle();
            assert.deepStrictEqual(
                run.invokes.filter((i) => i.token === getKeys),
                [],
            );
            assert.strictEqual(run.ofType(k8s.job).length, 1);
        });

        it("adds nothing with reencryptOnRotation: false", async () => {
            const run = await withKeyVersion("v-1");
            const cluster = new EncryptedCluster("c", {
                cluster: managedArgs,
                key: {},
                reencryptOnRotation: false,
            });
            await run.settle();
            assert.strictEqual(run.ofType(k8s.provider).length, 0);
            assert.strictEqual(run.ofType(k8s.component).length, 0);
            assert.strictEqual(cluster.reencryption, undefined);
            assert.deepStrictEqual(run.warnings, []);
        });

        it("plans the default options for true and none for false or unset", () => {
            const plan = (reencryptOnRotation?: boolean) => {
                const args = { cluster: {}, key: {}, reencryptOnRotation };
                assert.deepStrictEqual(validateClusterArgs(args, "cn-hangzhou"), []);
                return planCluster(args, "cn-hangzhou").reencryption;
            };
            assert.deepStrictEqual(plan(true), {});
            assert.strictEqual(plan(false), undefined);
            assert.strictEqual(plan(undefined), undefined);
        });

        const bad: Array<[string, unknown, string]> = [
            [
                "a string",
                "yes",
                '[reencryptOnRotation] "yes" is not valid: use true, false or SecretsReencryption options (mode, namespaces, image, ...).',
            ],
            [
                "a list",
                ["annotate"],
                '[reencryptOnRotation] ["annotate"] is not valid: use true, false or SecretsReencryption options (mode, namespaces, image, ...).',
            ],
            [
                "a provider (JavaScript callers)",
                { provider: { kubeconfig: "..." } },
                "[reencryptOnRotation.provider] is not allowed: EncryptedCluster builds the Kubernetes provider from the cluster's kubeconfig; remove it.",
            ],
            [
                "a rotationMarker (JavaScript callers)",
                { rotationMarker: "v1" },
                "[reencryptOnRotation.rotationMarker] is not allowed: EncryptedCluster sets it to the key's primaryKeyVersion; remove it.",
            ],
            [
                "after that is not a list",
                { after: "np-1" },
                '[reencryptOnRotation.after] "np-1" is not a list of resources: pass the cluster\'s node pools, e.g. [nodePool], or a Promise of them.',
            ],
            [
                "after holding a node pool id",
                { after: ["np-1"] },
                '[reencryptOnRotation.after[0]] "np-1" is not a resource: pass the cluster\'s node pools, e.g. [nodePool], or a Promise of them.',
            ],
            [
                "an unknown mode",
                { mode: "rotate" },
                '[reencryptOnRotation.mode] "rotate" is not a mode: use "annotate" or "replace".',
            ],
            [
                "a backoffLimit out of range",
                { backoffLimit: 11 },
                "[reencryptOnRotation.backoffLimit] 11 is out of range: use a whole number from 0 to 10.",
            ],
            [
                "an empty namespaces list",
                { namespaces: [] },
                "[reencryptOnRotation.namespaces] is empty: leave it unset to rewrite Secrets in every namespace.",
            ],
        ];
        for (const [what, reencryptOnRotation, message] of bad) {
            it(`rejects ${what}`, () => {
                assert.deepStrictEqual(
                    validateClusterArgs(
                        { cluster: {}, key: {}, reencryptOnRotation } as EncryptedClusterArgs,
                        "cn-hangzhou",
                    ),
                    [message],
                );
            });
        }

        it("rejects bad options in the constructor before registering anything", async () => {
            const run = await setupMocks();
            assert.throws(
                () =>
                    new EncryptedCluster("c", {
                        cluster: managedArgs,
                        key: {},
                        reencryptOnRotation: { timeoutMinutes: 0 },
                    }),
                {
                    message:
                        "[reencryptOnRotation.timeoutMinutes] 0 is out of range: use a whole number from 1 to 1440.",
                },
            );
            await run.settle();
            assert.deepStrictEqual(run.resources, []);
        });
    });

    describe("validateClusterArgs", () => {
        const bad: Array<[string, EncryptedClusterArgs, string]> = [
            [
                "both cluster and serverless",
                { cluster: {}, serverless: {}, key: {} },
                "[cluster, serverless] both are set: pass exactly one, cluster for ACK Pro or serverless for ACK Serverless Pro.",
            ],
            [
                "neither cluster nor serverless",
                { key: {} },
                "[cluster, serverless] neither is set: pass cluster for ACK Pro or serverless for ACK Serverless Pro.",
            ],
            [
                "both key and keyId",
                { cluster: {}, key: {}, keyId: "key-1" },
                "[key, keyId] both are set: pass key to create a new key or keyId to use an existing one.",
            ],
            [
                "an ACK Basic cluster",
                { cluster: { clusterSpec: "ack.standard" }, key: {} },
                '[cluster.clusterSpec] "ack.standard" is not allowed: Secret encryption with KMS needs ACK Pro; use an ack.pro.* spec such as ack.pro.small.',
            ],
            [
                "a spec that only looks like Pro",
                { cluster: { clusterSpec: "ack.pro" }, key: {} },
                '[cluster.clusterSpec] "ack.pro" is not allowed: Secret encryption with KMS needs ACK Pro; use an ack.pro.* spec such as ack.pro.small.',
            ],
            [
                "a Basic serverless cluster",
                { serverless: { clusterSpec: "ack.standard" }, key: {} },
                '[serverless.clusterSpec] "ack.standard" is not allowed: Secret encryption with KMS needs ACK Pro; use an ack.pro.* spec such as ack.pro.small.',
            ],
            [
                "a serverless cluster with a Pro spec in the wrong case",
                { serverless: { clusterSpec: "ACK.PRO.small" }, key: {} },
                '[serverless.clusterSpec] "ACK.PRO.small" is not allowed: Secret encryption with KMS needs ACK Pro; use an ack.pro.* spec such as ack.pro.small.',
            ],
            [
                "an Edge profile",
                { cluster: { profile: "Edge" }, key: {} },
                '[cluster.profile] "Edge" is not allowed: Secret encryption needs an ACK Pro managed cluster (profile "Default"); use serverless for ACK Serverless Pro.',
            ],
            [
                "an encryption key set in the cluster args (JavaScript callers)",
                { cluster: { encryptionProviderKey: "key-1" } as any, key: {} },
                '[cluster.encryptionProviderKey] "key-1" is not allowed: EncryptedCluster sets it from key or keyId; pass keyId instead.',
            ],
            [
                "disableEncryption set in the serverless args",
                { serverless: { disableEncryption: true } as any, key: {} },
                "[serverless.disableEncryption] true is not allowed: EncryptedCluster always sets it to false; remove it.",
            ],
            [
                "an empty key id",
                { cluster: {}, keyId: "", guardKey: false },
                '[keyId] "" is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).',
            ],
            [
                "a key id with spaces",
                { cluster: {}, keyId: "key 1", guardKey: false },
                '[keyId] "key 1" is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).',
            ],
            [
                "guardKey with a new key",
                { cluster: {}, key: {}, guardKey: true },
                "[guardKey] true applies only with keyId: a key made from key already has deletion protection on and protect: true.",
            ],
            [
                "a string as guardKey",
                { cluster: {}, keyId: "key-1", guardKey: "yes" as any },
                '[guardKey] "yes" is not valid: use true or false.',
            ],
            [
                "securityRole: true",
                { cluster: {}, key: {}, securityRole: true as any },
                "[securityRole] true is not valid: use ClusterSecurityRole args or false.",
            ],
            [
                "clusterIds in denyEncryptionUpdates",
                {
                    cluster: {},
                    key: {},
                    denyEncryptionUpdates: { roles: ["r"], clusterIds: ["c1"] } as any,
                },
                '[denyEncryptionUpdates.clusterIds] ["c1"] is not allowed: EncryptedCluster fills it with this cluster\'s id; remove it.',
            ],
            [
                "a bad key spec, named from the cluster's view",
                { cluster: {}, key: { keySpec: "Aliyun_SM4" } },
                '[key.keySpec] "Aliyun_SM4" is not supported: ACK\'s UpdateKMSEncryption accepts only Aliyun_AES_256.',
            ],
            [
                "an HSM key asked to rotate",
                { cluster: {}, key: { protectionLevel: "HSM", rotationInterval: "365d" } },
                '[key.rotationInterval] "365d" is not allowed: HSM keys cannot rotate automatically; omit rotationInterval or set it to false.',
            ],
            [
                "a bad security role mode",
                { cluster: {}, key: {}, securityRole: { mode: "lookup" as any } },
                '[securityRole.mode] "lookup" is not valid: use "create" or "existing".',
            ],
            [
                "a deny policy without principals",
                { cluster: {}, key: {}, denyEncryptionUpdates: {} },
                "[denyEncryptionUpdates.users, denyEncryptionUpdates.roles, denyEncryptionUpdates.groups] are all empty: attach the deny policy to at least one RAM user, role or group.",
            ],
        ];
        for (const [what, args, message] of bad) {
            it(`rejects ${what}`, () => {
                assert.deepStrictEqual(validateClusterArgs(args, "cn-hangzhou"), [message]);
            });
        }

        it("rejects a guarded key id when no region is known", () => {
            assert.deepStrictEqual(
                validateClusterArgs({ cluster: {}, keyId: "key-1" }, undefined),
                [
                    '[regionId] is missing and so is the alicloud:region config: the key guard needs the region of the key and the cluster, e.g. "cn-hangzhou".',
                ],
            );
        });

        it("rejects a region id that is not one", () => {
            assert.deepStrictEqual(
                validateClusterArgs({ cluster: {}, keyId: "key-1", regionId: "Hangzhou" }),
                ['[regionId] "Hangzhou" is not a region id: give one such as cn-hangzhou.'],
            );
        });

        it("rejects a key ARN from another region than the cluster's", () => {
            const arn = "acs:kms:cn-beijing:1234567890123456:key/key-1";
            assert.deepStrictEqual(
                validateClusterArgs({ cluster: {}, keyId: arn }, "cn-hangzhou"),
                [
                    `[keyId] "${arn}" is a key in cn-beijing, but [regionId] is "cn-hangzhou": the key and the cluster must be in the same region.`,
                ],
            );
        });

        it("takes the region from regionId before the config", () => {
            const args = { cluster: {}, keyId: "key-1", regionId: "cn-shanghai" };
            assert.deepStrictEqual(validateClusterArgs(args, "cn-hangzhou"), []);
            const plan = planCluster(args, "cn-hangzhou");
            assert.strictEqual(plan.regionId, "cn-shanghai");
            assert.strictEqual(plan.guardKey, true);
        });

        it("rejects bad args in the constructor before registering anything", async () => {
            const run = await setupMocks();
            assert.throws(
                () =>
                    new EncryptedCluster("c", {
                        cluster: { clusterSpec: "ack.standard" },
                        key: {},
                    }),
                {
                    message:
                        '[cluster.clusterSpec] "ack.standard" is not allowed: Secret encryption with KMS needs ACK Pro; use an ack.pro.* spec such as ack.pro.small.',
                },
            );
            await run.settle();
            assert.deepStrictEqual(run.resources, []);
        });

        it("rejects the encryption fields at compile time", () => {
            const args: EncryptedClusterArgs = {
                // @ts-expect-error encryptionProviderKey is set by EncryptedCluster
                cluster: { encryptionProviderKey: "key-1" },
                key: {},
            };
            const serverless: EncryptedClusterArgs = {
                // @ts-expect-error disableEncryption is set by EncryptedCluster
                serverless: { disableEncryption: true },
                key: {},
            };
            assert.strictEqual(validateClusterArgs(args, "cn-hangzhou").length, 1);
            assert.strictEqual(validateClusterArgs(serverless, "cn-hangzhou").length, 1);
        });
    });
});
