// The KMS emulator in a process of its own, for runs of the real CLI (which the test waits for
// synchronously, so an emulator in the test's own event loop could not answer). Prints one JSON
// line, {endpoint, regionId, keyId}, with one seeded key, and serves until it is killed.
import { testAccessKey } from "../../guard/harness";
import { startKmsEmulator } from "../../support/kmsEmulator";

void (async () => {
    const emulator = await startKmsEmulator({ accessKeys: [testAccessKey] });
    const keyId = emulator.seedKey();
    process.stdout.write(
        `${JSON.stringify({ endpoint: emulator.endpoint, regionId: emulator.regionId, keyId })}\n`,
    );
    process.on("SIGTERM", () => void emulator.stop().then(() => process.exit(0)));
})();
