// The ack-kms provider: serves schema.json and constructs the components of components/ for
// programs in any Pulumi language (the pulumi-eks way: a hand-written `construct`, not the SDK's
// componentProviderHost, which cannot read the TypeScript args and re-analyzes them on every start).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { builders } from "./construct/components";
import { method, servedProvider } from "./resources";
import { plainProps, secretAgain } from "./secretProps";

/** Resource properties as the provider server hands them over (plain JavaScript values). */
type Props = Record<string, unknown>;

/** schema.json beside this file (ts-node) or in provider/ from lib/provider/ (compiled). */
export function schemaPath(): string {
    const candidates = [
        path.join(__dirname, "schema.json"),
        path.join(__dirname, "..", "..", "provider", "schema.json"),
    ];
    const found = candidates.find((file) => fs.existsSync(file));
    if (!found) {
        throw new Error(`ack-kms: schema.json not found (looked in ${candidates.join(", ")}).`);
    }
    return found;
}

export class AckKmsProvider implements pulumi.provider.Provider {
    public readonly version: string;
    private readonly schemaText: string;

    constructor() {
        this.schemaText = fs.readFileSync(schemaPath(), "utf8");
        this.version = (JSON.parse(this.schemaText) as { version: string }).version;
    }

    async getSchema(): Promise<string> {
        return this.schemaText;
    }

    // Custom resources (provider/resources.ts): the timings of ExistingClusterEncryption are read
    // from the new inputs (or, on delete and read, the state, which keeps them) of the call. Secrets arrive wrapped
    // and are handed to the operations plain, then wrapped again in the answer (secretProps.ts).
    async check(urn: string, olds: Props, news: Props): Promise<pulumi.provider.CheckResult> {
        const before = plainProps(olds);
        const after = plainProps(news);
        const result = await method(servedProvider(urn, after.plain), "check")(
            before.plain,
            after.plain,
        );
        return { ...result, inputs: secretAgain(result.inputs, after.secretNames) };
    }

    async diff(
        id: string,
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<pulumi.provider.DiffResult> {
        const after = plainProps(news);
        return method(servedProvider(urn, after.plain), "diff")(
            id,
            plainProps(olds).plain,
            after.plain,
        );
    }

    async create(urn: string, inputs: Props): Promise<pulumi.provider.CreateResult> {
        const given = plainProps(inputs);
        const result = await method(servedProvider(urn, given.plain), "create")(given.plain);
        return { ...result, outs: secretAgain(result.outs, given.secretNames) };
    }

    async read(id: string, urn: string, props?: Props): Promise<pulumi.provider.ReadResult> {
        const state = plainProps(props);
        const result = await method(servedProvider(urn, state.plain), "read")(id, state.plain);
        return {
            ...result,
            props: secretAgain(result.props, state.secretNames),
            inputs: secretAgain(result.inputs, state.secretNames),
        };
    }

    async update(
        id: string,
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<pulumi.provider.UpdateResult> {
        const before = plainProps(olds);
        const after = plainProps(news);
        const result = await method(servedProvider(urn, after.plain), "update")(
            id,
            before.plain,
            after.plain,
        );
        return { ...result, outs: secretAgain(result.outs, after.secretNames) };
    }

    async delete(id: string, urn: string, props: Props): Promise<void> {
        const state = plainProps(props);
        return method(servedProvider(urn, state.plain), "delete")(id, state.plain);
    }

    async construct(
        name: string,
        type: string,
        inputs: pulumi.Inputs,
        options: pulumi.ComponentResourceOptions,
    ): Promise<pulumi.provider.ConstructResult> {
        const build = builders[type];
        if (!build) {
            const known = Object.keys(builders).join(", ");
            throw new Error(
                `ack-kms: unknown component type "${type}"; this provider has ${known}.`,
            );
        }
        const { resource, state } = build(name, inputs as Record<string, unknown>, options);
        return { urn: resource.urn, state };
    }
}
