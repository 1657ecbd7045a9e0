// Shared set-up for the guard's specs: an emulator, credentials in the environment as the
// dynamic provider host would have them, and provider settings with small timeouts and backoff.

import * as path from "path";
import {
    createKeyDeletionGuardProvider,
    providerModuleCandidates,
} from "../../components/keyDeletionGuard/provider";
import { KeyDeletionGuardInputs } from "../../components/keyDeletionGuard/inputs";
import { KeyDeletionGuardProviderSettings } from "../../components/keyDeletionGuard/settings";
import { keyDeletionGuardKind } from "../../policy/facts";
import { KmsEmulator } from "../support/kmsEmulator";

const sourceModule = path.resolve(__dirname, "../../components/keyDeletionGuard/operations");

export const testAccessKey = {
    accessKeyId: "LTAI5tGuardTestKeyId",
    accessKeySecret: "guard-test-secret-Zq8X3vT1",
};

export const credentialVariableNames = [
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALICLOUD_ACCESS_KEY",
    "ALICLOUD_SECRET_KEY",
    "ALICLOUD_SECURITY_TOKEN",
];

/** Replaces the credential variables for a test and gives back a function restoring them. */
export function useCredentialEnvironment(values: Record<string, string>): () => void {
    const saved = new Map(credentialVariableNames.map((name) => [name, process.env[name]]));
    for (const name of credentialVariableNames) {
        delete process.env[name];
    }
    Object.assign(process.env, values);
    return () => {
        for (const [name, value] of saved) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
    };
}

/**
 * Small timeouts and backoff so fault tests take milliseconds, not seconds. The source module comes
 * first: the package path resolves (by self-reference) to lib/, which is only as fresh as the last
 * `npm run build`, and a spec must judge the code it sits next to.
 */
export const fastSettings: KeyDeletionGuardProviderSettings = {
    moduleCandidates: [
        sourceModule,
        ...providerModuleCandidates().filter((candidate) => candidate !== sourceModule),
    ],
    timeoutMs: 300,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 5000 },
};

export function guardProvider(settings: KeyDeletionGuardProviderSettings = fastSettings) {
    // The provider object as Pulumi would run it, methods loading the operations by path.
    const provider = createKeyDeletionGuardProvider(settings);
    return {
        check: provider.check!.bind(provider),
        diff: provider.diff!.bind(provider),
        create: provider.create.bind(provider),
        update: provider.update!.bind(provider),
        read: provider.read!.bind(provider),
        delete: provider.delete!.bind(provider),
    };
}

export function guardInputs(
    emulator: KmsEmulator,
    keyId: string,
    overrides: Partial<KeyDeletionGuardInputs> = {},
): KeyDeletionGuardInputs {
    return {
        kind: keyDeletionGuardKind,
        keyId,
        regionId: emulator.regionId,
        boundTo: "prod-cluster",
        endpoint: emulator.endpoint,
        ...overrides,
    };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
    try {
        await promise;
    } catch (error) {
        return error as Error;
    }
    throw new Error("expected the promise to reject, but it resolved");
}
