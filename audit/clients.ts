// The clients an audit talks through, one per service and region, each counting its calls
// (./callStats.ts), and how a refusal of the credentials is told apart from other failures.
import { createActionTrailClient } from "../cloud/actiontrail";
import { createCsClient } from "../cloud/cs";
import { CloudApiError } from "../cloud/errors";
import { createKmsClient, KmsClient } from "../cloud/kms";
import { CallStats, countedRpcClient, countingRetry } from "./callStats";
import { AuditOptions, endpointFor } from "./options";

/** The credentials were refused: nothing the audit reads can be trusted to be complete. */
export class AuditCredentialError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "AuditCredentialError";
    }
}

export const credentialCodes =
    /^(InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|IncompleteSignature)/;

export function isCredentialError(error: unknown): error is CloudApiError {
    return error instanceof CloudApiError && credentialCodes.test(error.code);
}

/** Per-region clients, made once. */
export class RegionClients {
    private readonly kmsClients = new Map<string, KmsClient>();
    constructor(
        private readonly options: AuditOptions,
        private readonly stats: CallStats,
    ) {}

    cs(regionId: string) {
        return createCsClient({
            regionId,
            endpoint: endpointFor(this.options.endpoints?.cs, regionId),
            credentials: this.options.credentials,
            timeoutMs: this.options.timeoutMs,
        });
    }

    kms(regionId: string): KmsClient {
        let client = this.kmsClients.get(regionId);
        if (!client) {
            client = createKmsClient({
                regionId,
                endpoint: endpointFor(this.options.endpoints?.kms, regionId),
                credentials: this.options.credentials,
                timeoutMs: this.options.timeoutMs,
                retry: countingRetry(this.stats, this.options.retry),
            });
            this.kmsClients.set(regionId, client);
        }
        return client;
    }

    actionTrail(regionId: string) {
        return countedRpcClient(
            createActionTrailClient({
                regionId,
                endpoint: endpointFor(this.options.endpoints?.actiontrail, regionId),
                credentials: this.options.credentials,
                timeoutMs: this.options.timeoutMs,
            }),
            this.stats,
        );
    }
}

/** One KMS call counted (its retries are counted by the client's retry options). */
export async function kmsCall<T>(stats: CallStats, run: () => Promise<T>): Promise<T> {
    stats.apiCalls++;
    return run();
}
