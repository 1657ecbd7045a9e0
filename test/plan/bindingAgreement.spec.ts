// One rule, one place: plan's report names the keys the pack judges. The pack runs through the
// analyzer protocol, as the Pulumi CLI runs it; every key of a stack has a spec ACK refuses, so
// kms-key-symmetric-for-secrets reports each key the pack judges bound, and the report's bindings
// must name the same ones. Each case is one where the report's old copy of the binding (first key
// found, guards only through dependencies, key ARNs only from outputs, disableEncryption not read)
// named a different key than the pack judged; the pack's copy was right in each.
import { strict as assert } from "assert";
import { PolicyResource } from "../../offline/analyzer";
import { findKeyBindings } from "../../offline/report/bindings";
import {
    cluster,
    existingClusterEncryption,
    guard,
    key,
    keyArn,
    unknown,
    startedPack,
} from "../policy/support/stack";

const badKey = (name: string, id: string) => key(name, { keySpec: "Aliyun_SM4", arn: keyArn(id) });

/** [what, the stack, the key URNs both must name] */
function cases(): Array<[string, PolicyResource[], string[]]> {
    const a = badKey("a", "key-hzz6aaaa");
    const b = badKey("b", "key-hzz6bbbb");
    const literalGuard = guard("literal-guard", { keyId: "key-hzz6aaaa" });
    const feeding = existingClusterEncryption("enc", { keyId: "key-hzz6bbbb" });
    return [
        [
            "a cluster that takes its key from a guard naming the key by literal id",
            [
                a,
                literalGuard,
                cluster(
                    "prod",
                    { encryptionProviderKey: unknown },
                    { propertyDependencies: { encryptionProviderKey: [literalGuard.urn] } },
                ),
            ],
            [a.urn],
        ],
        [
            "a cluster whose key input came from two keys",
            [
                a,
                b,
                cluster(
                    "prod",
                    { encryptionProviderKey: unknown },
                    { propertyDependencies: { encryptionProviderKey: [a.urn, b.urn] } },
                ),
            ],
            [a.urn, b.urn],
        ],
        [
            "a cluster that depends on one key and names another by id",
            [a, b, cluster("prod", { encryptionProviderKey: "key-hzz6bbbb" }, { boundTo: a })],
            [a.urn, b.urn],
        ],
        [
            "a cluster with a key but disableEncryption true",
            [
                a,
                cluster(
                    "prod",
                    { encryptionProviderKey: unknown, disableEncryption: true },
                    { boundTo: a },
                ),
            ],
            [],
        ],
        ["an external cluster bound by id", [b, feeding], [b.urn]],
    ];
}

describe("plan's report and the pack name the same bound keys", () => {
    const harness = startedPack();

    for (const [what, resources, expected] of cases()) {
        it(`agree on ${what}`, async () => {
            const judged = (await harness.run(resources)).violations
                .filter((v) => v.policyName === "kms-key-symmetric-for-secrets")
                .map((v) => v.urn!)
                .sort();
            const named = findKeyBindings(resources)
                .flatMap((b) => b.keyUrns ?? (b.keyUrn ? [b.keyUrn] : []))
                .sort();
            assert.deepEqual([judged, named], [[...expected].sort(), [...expected].sort()]);
        });
    }
});
