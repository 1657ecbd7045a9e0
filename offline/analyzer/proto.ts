// Loads protobuf helpers from the same google-protobuf copy the generated Pulumi stubs use
// (@pulumi/pulumi ships its own 3.x copy; messages must be built with its classes).

import { createRequire } from "module";

const analyzerStubPath = require.resolve("@pulumi/pulumi/proto/analyzer_pb");

/** `require` as seen from @pulumi/pulumi/proto. */
export const pulumiProtoRequire = createRequire(analyzerStubPath);
