// How to run the real Pulumi CLI of .toolchain/bin with no network and no account: a file backend
// and a Pulumi home of their own, the passphrase secrets provider, no update check, no plugin
// downloads, streaming JSON events. Shared by the differential suite and bench/plan.
import * as path from "path";

/** The folder `npm run toolchain` builds into; ACK_KMS_TOOLCHAIN_BIN names another one like it. */
export const toolchainBin =
    process.env.ACK_KMS_TOOLCHAIN_BIN ?? path.resolve(__dirname, "../../.toolchain/bin");

/** The environment for a CLI whose backend and home live under `home`. */
export function engineEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The calling process's own Node settings must not leak into the programs the CLI starts.
    delete env.NODE_OPTIONS;
    delete env.TS_NODE_PROJECT;
    return {
        ...env,
        PATH: `${toolchainBin}${path.delimiter}${process.env.PATH ?? ""}`,
        PULUMI_HOME: path.join(home, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "ack-kms-differential",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        ...extra,
    };
}
