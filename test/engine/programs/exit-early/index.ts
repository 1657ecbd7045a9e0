// process.exit(0) while the cluster still waits for its key: the run is cut short, which must not
// look like a clean pass.
import { boundCluster, safeKey } from "../boundKey";

const key = safeKey("secrets");
boundCluster("prod", key.id);
setImmediate(() => process.exit(0));
