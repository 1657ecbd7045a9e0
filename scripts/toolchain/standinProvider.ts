// A stand-in resource provider plugin (`pulumi-resource-alicloud`, `pulumi-resource-kubernetes`)
// for the real Pulumi CLI that `npm run toolchain` builds. The real providers cannot be had here:
// the Go module proxy refuses github.com/pulumi/pulumi-alicloud/provider/v3 and the Terraform
// provider it bridges, and plugin downloads need a network this machine does not have.
//
// What it does, and what the real provider does that it does not:
// - Check returns the inputs as given. The real alicloud provider also applies the Terraform
//   schema's defaults and validations, which no package here carries.
// - Configure does not claim preview support, so in `pulumi preview` the engine takes a new
//   resource's outputs to be its inputs, exactly as `ack-kms plan --mode preview` does. The real
//   provider would add its computed outputs as unknowns.
// - Create, Update and Read return the ids and outputs of offline/program/outputs.ts, the same
//   module `ack-kms plan` answers with, so both see the same values.
// - Invoke answers with offline/program/invokes.ts, the results plan gives data sources.
// - Diff compares old and new inputs; it never asks for a replace (it cannot know which
//   properties force one).
import * as grpc from "@grpc/grpc-js";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";
import { pulumiProtoRequire } from "../../offline/analyzer/proto";
import {
    invokeResult,
    fallbackRegion,
    missingInvokeMessage,
    mockAccountId,
    MockContext,
} from "../../offline/program/invokes";
import { mockResource } from "../../offline/program/outputs";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
// The SDK's generated stubs are JavaScript without usable types for a hand-built server.
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const pluginPb = require("@pulumi/pulumi/proto/plugin_pb");
const { Struct } = pulumiProtoRequire(
    "google-protobuf/google/protobuf/struct_pb",
) as typeof StructModule;
const { Empty } = pulumiProtoRequire("google-protobuf/google/protobuf/empty_pb");

const [packageName = "alicloud", packageVersion = "0.0.0"] = process.argv.slice(2);
const noMocks = { invokes: {}, resources: {} };

let context: MockContext = { region: fallbackRegion, accountId: mockAccountId };

function typeOf(urn: string): string {
    return urn.split("::")[2]?.split("$").pop() ?? "";
}

function nameOf(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

function plain(struct: StructModule.Struct | undefined): Record<string, unknown> {
    return (struct?.toJavaScript() ?? {}) as Record<string, unknown>;
}

function withoutInternal(props: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith("__")));
}

function handle(fn: (request: any) => unknown): grpc.handleUnaryCall<any, any> {
    return (call, callback) => {
        try {
            callback(null, fn(call.request));
        } catch (err) {
            callback({ code: grpc.status.UNKNOWN, details: String((err as Error).message ?? err) });
        }
    };
}

function configure(request: any) {
    const args = plain(request.getArgs());
    const variables: Record<string, string> = {};
    request.getVariablesMap().forEach((v: string, k: string) => (variables[k] = v));
    const region = args.region ?? variables[`${packageName}:config:region`];
    if (typeof region === "string" && region !== "") {
        context = { ...context, region };
    }
    const response = new providerPb.ConfigureResponse();
    response.setAcceptsecrets(true);
    response.setAcceptresources(true);
    response.setAcceptoutputs(false);
    response.setSupportspreview(false);
    return response;
}

function checkLike(request: any) {
    const response = new providerPb.CheckResponse();
    response.setInputs(request.getNews());
    return response;
}

function diffLike(request: any) {
    const olds = JSON.stringify(withoutInternal(plain(request.getOlds())));
    const news = JSON.stringify(withoutInternal(plain(request.getNews())));
    const response = new providerPb.DiffResponse();
    response.setChanges(
        olds === news
            ? providerPb.DiffResponse.DiffChanges.DIFF_NONE
            : providerPb.DiffResponse.DiffChanges.DIFF_SOME,
    );
    return response;
}

function create(request: any) {
    const urn: string = request.getUrn();
    const inputs = plain(request.getProperties());
    const mocked = mockResource(typeOf(urn), nameOf(urn), urn, inputs, context);
    const response = new providerPb.CreateResponse();
    response.setId(mocked.id);
    response.setProperties(Struct.fromJavaScript(mocked.outputs as any));
    return response;
}

function update(request: any) {
    const urn: string = request.getUrn();
    const inputs = plain(request.getNews());
    const mocked = mockResource(typeOf(urn), nameOf(urn), urn, inputs, context);
    const response = new providerPb.UpdateResponse();
    response.setProperties(Struct.fromJavaScript(mocked.outputs as any));
    return response;
}

/** A read (`Resource.get`, refresh, import): the outputs plan gives a resource of that id. */
function read(request: any) {
    const urn: string = request.getUrn();
    const id: string = request.getId();
    const mocked = mockResource(
        typeOf(urn),
        nameOf(urn),
        urn,
        plain(request.getProperties()),
        context,
        undefined,
        id,
    );
    const response = new providerPb.ReadResponse();
    response.setId(id);
    response.setProperties(Struct.fromJavaScript(mocked.outputs as any));
    response.setInputs(request.getInputs() ?? Struct.fromJavaScript({}));
    return response;
}

function invoke(request: any) {
    const token: string = request.getTok();
    const result = invokeResult(token, plain(request.getArgs()), context, noMocks);
    if (result === undefined) {
        throw new Error(missingInvokeMessage(token));
    }
    const response = new providerPb.InvokeResponse();
    response.setReturn(Struct.fromJavaScript(result as any));
    return response;
}

function pluginInfo() {
    const info = new pluginPb.PluginInfo();
    info.setVersion(packageVersion);
    return info;
}

function main(): void {
    const server = new grpc.Server();
    server.addService(providerGrpc.ResourceProviderService, {
        getPluginInfo: handle(pluginInfo),
        checkConfig: handle(checkLike),
        diffConfig: handle(diffLike),
        configure: handle(configure),
        check: handle(checkLike),
        diff: handle(diffLike),
        create: handle(create),
        read: handle(read),
        update: handle(update),
        delete: handle(() => new Empty()),
        invoke: handle(invoke),
        cancel: handle(() => new Empty()),
        attach: handle(() => new Empty()),
    });
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) {
            console.error(`${packageName} stand-in provider: ${err.message}`);
            process.exit(1);
        }
        process.stdout.write(`${port}\n`);
    });
}

main();
