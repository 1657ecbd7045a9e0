// A cluster created outside the stack, bound to a key by an ExistingClusterEncryption dynamic
// resource: the bound-key policies hold its key to the same rules as a cluster's, in update form
// (literal key id) and preview form (key id unknown, linked through propertyDependencies).
import { existingClusterEncryption, externalClusterId, key, previewKey, unknown } from "./stack";

/** How the messages name the external cluster. */
export const external = `cluster ${externalClusterId}`;
/** How the notices name the ExistingClusterEncryption resource. */
export const encryptionLabel = "existing cluster encryption prod-encryption";

/** Update form: the resource names the key by its literal id, which ends the key's arn. */
export const updatePair = (keyProps: Record<string, unknown> = {}, keyExtra = {}) => [
    key("secrets", keyProps, keyExtra),
    existingClusterEncryption(),
];

/** Preview form: the key is new, so its id is unknown; propertyDependencies of keyId link it. */
export const previewPair = (keyProps: Record<string, unknown> = {}, keyExtra = {}) => {
    const pk = previewKey("secrets", keyProps, keyExtra);
    return [pk, existingClusterEncryption("prod-encryption", { keyId: unknown }, { boundTo: pk })];
};

/**
 * Preview as the component declares it with a new key: clusterId, keyId and regionId all pass
 * through one validating apply, so all three are unknown and depend on the key.
 */
export const componentPreviewPair = (keyProps: Record<string, unknown> = {}) => {
    const pk = previewKey("secrets", keyProps);
    const fromKey = [pk.urn];
    return [
        pk,
        existingClusterEncryption(
            "prod-encryption",
            { clusterId: unknown, keyId: unknown, regionId: unknown },
            { propertyDependencies: { clusterId: fromKey, keyId: fromKey, regionId: fromKey } },
        ),
    ];
};

export const forms = [
    ["update", updatePair],
    ["preview", previewPair],
] as const;
