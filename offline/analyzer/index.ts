// The analyzer side of `ack-kms plan`, as pulumi-policy splits its SDK: the data model (model.ts)
// apart from the pack's project (packProject.ts), its process and gRPC client (packProcess.ts), the
// wire encoding (wire.ts), config (config.ts) and the engine's sequence over them (run.ts).
export type { EngineLogEntry } from "./engineLog";
export * from "./model";
export { PolicyPackProcess } from "./packProcess";
export * from "./run";
/** Engine encodings of values inside `properties`, re-exported for the analyzer's callers. */
export { secret, secretSignatureKey, secretSignatureValue, unknownSentinel } from "../engineValues";
