import * as assert from "assert";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as components from "../../components";
import { componentNames, generate, render, schemaFile } from "../../scripts/schema/generate";

const checkedIn = JSON.parse(fs.readFileSync(schemaFile, "utf8"));

describe("provider/schema.json", () => {
    it("is what `npm run schema` generates from provider/shapes", function () {
        this.timeout(180_000);
        assert.ok(
            render(generate()) === fs.readFileSync(schemaFile, "utf8"),
            "provider/schema.json is stale: run `npm run schema` and commit it.",
        );
    });

    it("lists every public component of components/index.ts, and nothing else", () => {
        const exported = Object.values(components as Record<string, unknown>)
            .filter(
                (value): value is { name: string } =>
                    typeof value === "function" &&
                    value.prototype instanceof pulumi.ComponentResource,
            )
            .map((value) => value.name)
            .sort();
        assert.deepStrictEqual(exported, [...componentNames].sort());
        assert.deepStrictEqual(
            Object.keys(checkedIn.resources).sort(),
            componentNames.map((name) => `ack-kms:index:${name}`).sort(),
        );
    });

    it("describes every input and output of every component", () => {
        for (const [token, resource] of Object.entries<Record<string, Record<string, any>>>(
            checkedIn.resources,
        )) {
            assert.ok(resource.description, `${token} has no description`);
            for (const [name, property] of Object.entries({
                ...resource.inputProperties,
                ...resource.properties,
            })) {
                assert.ok(property.description, `${token}.${name} has no description`);
            }
        }
    });

    it("keeps the kubeconfig secret, out of EncryptedCluster and into SecretsReencryption", () => {
        const cluster = checkedIn.resources["ack-kms:index:EncryptedCluster"];
        assert.strictEqual(cluster.properties.kubeconfig.secret, true);
        const reencryption = checkedIn.resources["ack-kms:index:SecretsReencryption"];
        assert.strictEqual(reencryption.inputProperties.kubeconfig.secret, true);
    });

    it("has no schema defaults, which the generated SDKs would send as if the user had set them", () => {
        const text = fs.readFileSync(schemaFile, "utf8");
        assert.ok(!/"default":/.test(text), "schema.json has a `default`");
    });

    it("offers the security role modes as an enum with unmanaged instead of false", () => {
        const mode = checkedIn.types["ack-kms:index:SecurityRoleMode"];
        assert.deepStrictEqual(
            mode.enum.map((e: { value: string }) => e.value),
            ["create", "existing", "unmanaged"],
        );
    });
});
