// How the Pulumi engine encodes special values inside resource properties (plain JSON, as it puts
// them in a protobuf Struct): sdk/go/common/resource/plugin/rpc.go. Kept free of imports so the
// program host, the reports and the analyzer client share it without loading gRPC.

/** A value not known yet (a new resource's id or output during preview). */
export { unknownSentinel } from "../policy/verdicts/known";
/** The key that marks a special object (a secret, a resource reference); its value says which. */
export const secretSignatureKey = "4dabf18193072939515e22adb298388d";
export const secretSignatureValue = "1b47061264138c4ac30d75fd1eb44270";
export const resourceReferenceSignature = "5cf8f73096256a8f31e491e813e4eb8e";

/** Wraps a value the way the engine marks a secret. */
export function secret(value: unknown): Record<string, unknown> {
    return { [secretSignatureKey]: secretSignatureValue, value };
}

/** A value with its secret wrapper (one level) removed. */
export function unwrapSecret(value: unknown): unknown {
    if (
        typeof value === "object" &&
        value !== null &&
        (value as Record<string, unknown>)[secretSignatureKey] === secretSignatureValue
    ) {
        return (value as { value?: unknown }).value;
    }
    return value;
}
