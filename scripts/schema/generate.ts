// `npm run schema`: provider/schema.json from the multi-language shapes in provider/shapes/, by the
// SDK's own schema analyzer (the one `componentProviderHost` runs on every plugin start, 13-16 s;
// run once here, the provider serves the file in about 0.1 s). `--check` compares with the
// checked-in file instead of writing it.
//
// Defaults are stated in each description ("Defaults to `30`."), never as schema `default`s: the
// generated SDKs send a schema default as if the user had set it, and the components tell unset
// from set (a Python `EncryptedCluster` with a `key` got `guardKey: true` that way and was refused:
// "[guardKey] true applies only with keyId").
import * as fs from "fs";
import * as path from "path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema, PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";

const repoRoot = path.resolve(__dirname, "../..");
export const shapesDir = path.join(repoRoot, "provider", "shapes");
export const schemaFile = path.join(repoRoot, "provider", "schema.json");

/** Where the generated Go SDK (sdk/go) is imported from. */
export const goImportBasePath = "github.com/ack-kms/ack-kms/sdk/go/ackkms";

/** Every public component of components/index.ts, as the schema names them. */
export const componentNames = [
    "EncryptedCluster",
    "SecretsEncryptionKey",
    "ClusterSecurityRole",
    "DenyKmsEncryptionUpdates",
    "KeyDeletionGuard",
    "ExistingClusterEncryption",
    "SecretsReencryption",
];

interface PropertySpec {
    secret?: boolean;
    [key: string]: unknown;
}

/** The schema's `meta` section, which the SDK's PackageSpec type does not declare. */
export type Schema = PackageSpec & { meta?: { supportPack?: boolean } };

/** The schema of the ack-kms package, as the provider serves it. */
export function generate(): Schema {
    const packageJson = JSON.parse(fs.readFileSync(path.join(shapesDir, "package.json"), "utf8"));
    const version = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"))
        .version as string;
    const analyzer = new Analyzer(shapesDir, "ack-kms", packageJson, new Set(componentNames));
    const { components, typeDefinitions, dependencies } = analyzer.analyze();
    const missing = componentNames.filter((name) => !components[name]);
    if (missing.length > 0) {
        throw new Error(`provider/shapes/index.ts does not declare ${missing.join(", ")}.`);
    }
    const schema: Schema = generateSchema(
        "ack-kms",
        version,
        packageJson.description,
        components,
        typeDefinitions,
        dependencies,
    );
    // supportPack: the generators then write each SDK's own project file (pyproject.toml, go.mod).
    schema.meta = { supportPack: true };
    schema.language = {
        ...schema.language,
        go: { ...schema.language?.go, importBasePath: goImportBasePath },
        python: { ...schema.language?.python, pyproject: { enabled: true } },
    };
    // The kubeconfig grants admin on the cluster: every SDK must treat it as a secret.
    const cluster = schema.resources["ack-kms:index:EncryptedCluster"];
    (cluster.properties as Record<string, PropertySpec>).kubeconfig.secret = true;
    const reencryption = schema.resources["ack-kms:index:SecretsReencryption"];
    (reencryption.inputProperties as Record<string, PropertySpec>).kubeconfig.secret = true;
    return schema;
}

export function render(schema: Schema): string {
    return `${JSON.stringify(schema, null, 4)}\n`;
}

if (require.main === module) {
    const started = Date.now();
    const text = render(generate());
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (process.argv.includes("--check")) {
        const current = fs.existsSync(schemaFile) ? fs.readFileSync(schemaFile, "utf8") : "";
        if (current !== text) {
            console.error("provider/schema.json is stale: run `npm run schema`.");
            process.exitCode = 1;
        }
    } else {
        const temp = `${schemaFile}.tmp-${process.pid}`;
        fs.writeFileSync(temp, text);
        fs.renameSync(temp, schemaFile);
        console.error(`schema: ${schemaFile} (${text.length} bytes) in ${seconds} s.`);
    }
}
