// The baseline of bench/plan: the alicloud resources of the reference stack declared directly, one
// `new alicloud.<module>.<Class>(name, inputs)` each, in a single process under the SDK's mocks
// (preview: the mocks echo inputs and leave ids unknown). No components, no capture, no report.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
// Imported with its types, as a program declaring these resources would: the type-checked figures
// then check the same provider declarations on both sides.
import * as alicloud from "@pulumi/alicloud";

export interface BareResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    protect?: boolean;
    retainOnDelete?: boolean;
}

const secretSignatureKey = "4dabf18193072939515e22adb298388d";

/** Engine-encoded secrets back into SDK secrets, so the SDK serializes what the program did. */
function sdkValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sdkValue);
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (secretSignatureKey in record) return pulumi.secret(sdkValue(record.value));
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, sdkValue(v)]));
    }
    return value;
}

async function main(file: string): Promise<void> {
    const resources = JSON.parse(fs.readFileSync(file, "utf8")) as BareResource[];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: undefined, state: args.inputs }),
            call: (args) => args.inputs,
        },
        "bare",
        "dev",
        true,
    );
    const modules = alicloud as unknown as Record<string, any>;
    for (const resource of resources) {
        // alicloud:<module>/<member>:<Class>, or alicloud:index/<member>:<Class> at the top level.
        const [, modulePath, className] = resource.type.split(":");
        const moduleName = modulePath.split("/")[0];
        const Class = moduleName === "index" ? modules[className] : modules[moduleName][className];
        new Class(resource.name, sdkValue(resource.inputs), {
            protect: resource.protect,
            retainOnDelete: resource.retainOnDelete,
        });
    }
}

main(process.argv[2]).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
