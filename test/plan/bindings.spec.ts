import * as assert from "assert";
import { PolicyResource, secret, unknownSentinel } from "../../offline/analyzer";
import { findKeyBindings, sameKey } from "../../offline/report/bindings";
import * as facts from "../../policy/facts";

const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;

function resource(type: string, name: string, extra: Partial<PolicyResource> = {}): PolicyResource {
    return {
        urn: urn(type, name),
        type,
        name,
        custom: true,
        properties: {},
        dependencies: [],
        propertyDependencies: {},
        ...extra,
    };
}

const key = resource(facts.resourceTypes.kmsKey, "key", {
    id: "key-hzz123",
    outputs: { arn: "acs:kms:cn-hangzhou:1000000000000001:key/key-hzz123" },
});
const cluster = (name: string, keyValue: unknown, dependencies: string[] = []) =>
    resource(facts.resourceTypes.managedCluster, name, {
        properties: { encryptionProviderKey: keyValue },
        propertyDependencies: { encryptionProviderKey: dependencies },
    });
const guard = (name: string, keyId: unknown, dependencies: string[] = []) =>
    resource(facts.resourceTypes.dynamicResource, name, {
        properties: {
            kind: facts.keyDeletionGuardKind,
            keyId,
            regionId: "cn-hangzhou",
            boundTo: "c",
        },
        propertyDependencies: { keyId: dependencies },
    });

describe("plan: finding the key a cluster is bound to", () => {
    it("follows propertyDependencies when the key id is unknown, and finds the key's guard", () => {
        const bindings = findKeyBindings([
            key,
            guard("guard", unknownSentinel, [key.urn]),
            cluster("c", unknownSentinel, [key.urn]),
        ]);
        assert.deepStrictEqual(bindings, [
            {
                clusterUrn: urn(facts.resourceTypes.managedCluster, "c"),
                keyUrn: key.urn,
                guardUrns: [urn(facts.resourceTypes.dynamicResource, "guard")],
                source: "propertyDependencies",
            },
        ]);
    });

    it("matches a literal key ARN or a secret key id against the key's id", () => {
        const bindings = findKeyBindings([
            key,
            cluster("by-arn", "acs:kms:cn-hangzhou:1000000000000001:key/key-hzz123"),
            cluster("by-secret-id", secret("key-hzz123")),
        ]);
        assert.deepStrictEqual(
            bindings.map((b) => [b.clusterUrn.split("::").pop(), b.keyUrn, b.source]),
            [
                ["by-arn", key.urn, "keyId"],
                ["by-secret-id", key.urn, "keyId"],
            ],
        );
    });

    it("binds through a KeyDeletionGuard's output, and to a guarded key outside the stack", () => {
        const viaGuard = guard("guard", unknownSentinel, [key.urn]);
        const external = guard("external-guard", "key-outside");
        const bindings = findKeyBindings([
            key,
            viaGuard,
            external,
            cluster("from-guard", unknownSentinel, [viaGuard.urn]),
            cluster("guarded-external", "key-outside"),
            cluster("unencrypted", undefined),
        ]);
        assert.deepStrictEqual(bindings, [
            {
                clusterUrn: urn(facts.resourceTypes.managedCluster, "from-guard"),
                keyUrn: key.urn,
                guardUrns: [viaGuard.urn],
                source: "keyDeletionGuard",
            },
            {
                clusterUrn: urn(facts.resourceTypes.managedCluster, "guarded-external"),
                keyId: "key-outside",
                guardUrns: [external.urn],
                source: "keyDeletionGuard",
            },
        ]);
    });

    it("binds a cluster outside the stack through an ExistingClusterEncryption's keyId", () => {
        const encryption = (name: string, keyId: unknown, dependencies: string[] = []) =>
            resource(facts.resourceTypes.dynamicResource, name, {
                properties: {
                    kind: facts.existingClusterEncryptionKind,
                    clusterId: "c0123",
                    keyId,
                    regionId: "cn-hangzhou",
                },
                propertyDependencies: { keyId: dependencies },
            });
        const bindings = findKeyBindings([
            key,
            encryption("with-new-key", unknownSentinel, [key.urn]),
            encryption("with-key-id", "key-outside"),
        ]);
        assert.deepStrictEqual(bindings, [
            {
                clusterUrn: urn(facts.resourceTypes.dynamicResource, "with-new-key"),
                keyUrn: key.urn,
                guardUrns: [],
                source: "propertyDependencies",
            },
            {
                clusterUrn: urn(facts.resourceTypes.dynamicResource, "with-key-id"),
                keyId: "key-outside",
                guardUrns: [],
                source: "external",
            },
        ]);
    });

    it("compares key ids and ARNs by the id they name", () => {
        assert.ok(sameKey("acs:kms:cn-beijing:1:key/key-a", "key-a"));
        assert.ok(!sameKey("acs:kms:cn-beijing:1:key/key-a", "key-b"));
    });
});
