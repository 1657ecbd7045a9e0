// A key and a cluster of the stack bound to it, as the bound-key policies see them in preview and
// in update form.
import { PolicyResource } from "../../../offline/analyzer";
import { cluster, key, previewKey, unknown } from "./stack";

type KeyExtra = Parameters<typeof key>[2];

/** A key and a cluster bound to it in preview: the id is unknown, the link is a dependency. */
export function previewPair(
    props: Record<string, unknown> = {},
    extra: KeyExtra = {},
): PolicyResource[] {
    const k = previewKey("secrets", props, extra);
    return [k, cluster("prod", { encryptionProviderKey: unknown }, { boundTo: k })];
}

/** The same pair in update form: the cluster names the key by its literal id. */
export function updatePair(
    props: Record<string, unknown> = {},
    extra: KeyExtra = {},
): PolicyResource[] {
    return [key("secrets", props, extra), cluster("prod")];
}
