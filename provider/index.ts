// The entry PulumiPlugin.yaml runs (compiled, through package.json `main`): the CLI starts it with
// the engine's address and reads the port it prints.
import * as pulumi from "@pulumi/pulumi";
import { serveFromProvider } from "../components/providers/servedByProvider";
import { AckKmsProvider } from "./provider";

// Components constructed here register their resources as this provider's own custom resources.
serveFromProvider();

pulumi.provider.main(new AckKmsProvider(), process.argv.slice(2)).catch((error: Error) => {
    console.error(`ack-kms provider: ${error.message}`);
    process.exit(1);
});
