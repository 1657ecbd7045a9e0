// The smallest Engine gRPC service a policy pack can talk to: it only collects log messages.
// The CLI hands every plugin its engine address; the pack's `pulumi.log` calls reach it when the
// SDK is connected (PULUMI_NODEJS_ENGINE), and otherwise go to the pack's stdout and stderr, which
// the analyzer collects as logs too.

import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { pulumiProtoRequire } from "./proto";

export type LogSeverity = "debug" | "info" | "warning" | "error";

export interface EngineLogEntry {
    severity: LogSeverity;
    message: string;
    urn?: string;
    /** where it came from: the Engine service, or a line the pack printed */
    source: "engine" | "stdout" | "stderr";
}

const severities: Record<number, LogSeverity> = {
    [enginePb.LogSeverity.DEBUG]: "debug",
    [enginePb.LogSeverity.INFO]: "info",
    [enginePb.LogSeverity.WARNING]: "warning",
    [enginePb.LogSeverity.ERROR]: "error",
};

export class EngineLogServer {
    private constructor(
        private readonly server: grpc.Server,
        readonly address: string,
        readonly logs: EngineLogEntry[],
    ) {}

    static async start(logs: EngineLogEntry[]): Promise<EngineLogServer> {
        const { Empty } = pulumiProtoRequire(
            "google-protobuf/google/protobuf/empty_pb",
        ) as typeof import("google-protobuf/google/protobuf/empty_pb");
        const server = new grpc.Server();
        const unimplemented = (
            _call: unknown,
            callback: (error: grpc.ServiceError | null) => void,
        ): void => {
            callback({
                code: grpc.status.UNIMPLEMENTED,
                details: "not offered by the offline engine",
                message: "not offered by the offline engine",
                name: "Error",
                metadata: new grpc.Metadata(),
            });
        };
        server.addService(engineGrpc.EngineService, {
            log: (
                call: grpc.ServerUnaryCall<enginePb.LogRequest, unknown>,
                callback: grpc.sendUnaryData<unknown>,
            ) => {
                const request = call.request;
                logs.push({
                    severity: severities[request.getSeverity()] ?? "info",
                    message: request.getMessage(),
                    urn: request.getUrn() || undefined,
                    source: "engine",
                });
                callback(null, new Empty());
            },
            getRootResource: unimplemented,
            setRootResource: unimplemented,
            startDebugging: unimplemented,
            requirePulumiVersion: unimplemented,
        });
        const port = await new Promise<number>((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
                err ? reject(err) : resolve(p),
            ),
        );
        return new EngineLogServer(server, `127.0.0.1:${port}`, logs);
    }

    close(): Promise<void> {
        return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
    }
}
