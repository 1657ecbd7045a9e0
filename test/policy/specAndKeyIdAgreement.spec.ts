// One rule, one place: the cluster-spec verdict and the key-id verdict (policy/verdicts/) as each
// caller words them. EncryptedCluster's validators, the pack (through the analyzer protocol) and
// ExistingClusterEncryption's preflight (cloud/cs.ts) give the same answer on every spec; the
// components and the providers give the same answer and the same words on every key id. The
// expected verdict is pinned too.
import { strict as assert } from "assert";
import { clusterProblemsForEncryption } from "../../cloud/cs";
import { clusterSpecProblem } from "../../components/encryptedCluster/cluster";
import { keyIdProblem } from "../../components/encryptedCluster/key";
import { keyIdProblems } from "../../components/providers/inputChecks";
import { cluster, startedPack } from "./support/stack";

type Verdict = "accepts" | "refuses";

/** [spec, verdict]: the components once accepted only a closed list; the pack and verify any ack.pro.*. */
const specs: Array<[string, Verdict]> = [
    ["ack.pro.small", "accepts"],
    ["ack.pro.xlarge", "accepts"],
    ["ack.pro.medium", "accepts"],
    ["ack.pro.8xlarge", "accepts"],
    ["ack.standard", "refuses"],
    ["ack.pro", "refuses"],
    ["ACK.PRO.small", "refuses"],
    ["xack.pro.small", "refuses"],
];

/** [key id, verdict]: the providers once took any ARN, whatever its key id part held. */
const keyIds: Array<[string, Verdict]> = [
    ["key-hzz62f1c3b2d6y4mdp1xx", "accepts"],
    ["acs:kms:cn-hangzhou:1234567890:key/key-hzz62f1c3b2d6y4mdp1xx", "accepts"],
    ["acs:kms:cn-hangzhou:1234567890:key/not a key", "refuses"],
    ["acs:kms:cn-hangzhou:1234567890:key/-leading-dash", "refuses"],
    ["key 1", "refuses"],
    ["", "refuses"],
    [`key-${"x".repeat(300)}`, "refuses"],
];

describe("the cluster-spec and key-id verdicts agree everywhere", () => {
    const harness = startedPack();

    it("accepts the same cluster specs in the components, the pack and the cloud preflight", async () => {
        const rows: Array<[string, Verdict, Verdict, Verdict, Verdict]> = [];
        for (const [spec] of specs) {
            const messages = await harness.messages("ack-secret-encryption-enabled", [
                cluster("prod", { clusterSpec: spec }),
            ]);
            const preflight = clusterProblemsForEncryption(
                {
                    clusterId: "c1",
                    name: "prod",
                    regionId: "cn-hangzhou",
                    clusterType: "ManagedKubernetes",
                    clusterSpec: spec,
                    state: "running",
                    encryptionEnabled: false,
                },
                "cn-hangzhou",
            );
            const verdict = (refused: boolean): Verdict => (refused ? "refuses" : "accepts");
            rows.push([
                spec,
                verdict(clusterSpecProblem("cluster", spec) !== undefined),
                verdict(clusterSpecProblem("serverless", spec) !== undefined),
                verdict(messages.length > 0),
                verdict(preflight.some((p) => p.includes("ACK Pro"))),
            ]);
        }
        assert.deepEqual(
            rows,
            specs.map(([spec, expected]) => [spec, expected, expected, expected, expected]),
        );
    });

    it("accepts the same key ids, in the same words, in EncryptedCluster and the providers", () => {
        const rows = keyIds.map(([keyId]) => {
            const component = keyIdProblem(keyId);
            const provider = keyIdProblems(keyId, "cn-hangzhou");
            return [keyId, component === undefined, provider.length === 0, component ?? ""];
        });
        assert.deepEqual(
            rows,
            keyIds.map(([keyId, expected]) => [
                keyId,
                expected === "accepts",
                expected === "accepts",
                expected === "accepts" ? "" : keyIdProblems(keyId, "cn-hangzhou")[0],
            ]),
        );
        assert.equal(
            keyIdProblem("key 1"),
            '[keyId] "key 1" is not a KMS key id: give the key id (such as key-hzz6...) or its ARN (acs:kms:<region>:<account>:key/<key id>).',
        );
    });

    it("reports in the pack an encryptionProviderKey that is no key id", async () => {
        const messages = await harness.messages("ack-secret-encryption-enabled", [
            cluster("prod", { encryptionProviderKey: "acs:kms:cn-hangzhou:1:key/not a key" }),
        ]);
        assert.deepEqual(
            messages.map(([m]) => m),
            [
                "Set encryptionProviderKey to a KMS key id or key ARN: the pack cannot read the value as one.",
            ],
        );
    });
});
