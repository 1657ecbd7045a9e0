// Figures for KeyDeletionGuard, measured against the local KMS emulator through the real SDK:
// KMS calls per operation, and retries and total time of a create under each injected fault.
// Run: npx ts-node --transpile-only bench/guard/index.ts [--json]

import * as pulumi from "@pulumi/pulumi";
import { performance } from "perf_hooks";
import {
    createKeyDeletionGuardProvider,
    providerModuleCandidates,
} from "../../components/keyDeletionGuard/provider";
import { KeyDeletionGuardInputs } from "../../components/keyDeletionGuard/inputs";
import { KeyDeletionGuardProviderSettings } from "../../components/keyDeletionGuard/settings";
import { defaultRetryOptions } from "../../cloud/retry";
import { keyDeletionGuardKind } from "../../policy/facts";
import { FaultSpec, KmsEmulator } from "../../test/support/kmsEmulator";

const accessKey = { accessKeyId: "LTAIbenchKeyId", accessKeySecret: "bench-secret" };
const runsPerFault = 5;
/** Production backoff (cloud/retry.ts defaults); a 1 s client timeout keeps the timeout case short. */
const settings: KeyDeletionGuardProviderSettings = {
    moduleCandidates: providerModuleCandidates(),
    timeoutMs: 1000,
};

interface FaultFigure {
    fault: string;
    outcome: string;
    requests: number;
    retries: number;
    medianMs: number;
    maxMs: number;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = accessKey.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = accessKey.accessKeySecret;
    const emulator = await new KmsEmulator({ accessKeys: [accessKey] }).start();
    const provider = createKeyDeletionGuardProvider(settings);
    const inputsFor = (keyId: string, boundTo = "prod-cluster"): KeyDeletionGuardInputs => ({
        kind: keyDeletionGuardKind,
        keyId,
        regionId: emulator.regionId,
        boundTo,
        endpoint: emulator.endpoint,
    });

    // ---- calls per operation
    const calls: Record<string, number> = {};
    const count = async (label: string, run: () => Promise<unknown>) => {
        emulator.resetCalls();
        await run();
        calls[label] = emulator.callCount();
    };
    const keyId = emulator.seedKey();
    let created!: pulumi.dynamic.CreateResult;
    await count("create", async () => (created = await provider.create(inputsFor(keyId))));
    await count("no-op update (diff, no change)", async () => {
        const diff = await provider.diff!(created.id, created.outs, inputsFor(keyId));
        if (diff.changes) {
            throw new Error("a no-op diff reported changes");
        }
    });
    await count("update (new boundTo)", () =>
        provider.update!(created.id, created.outs, inputsFor(keyId, "prod-cluster-blue")),
    );
    await count("delete", () => provider.delete!(created.id, created.outs));
    const protectedKey = emulator.seedKey({ deletionProtection: "Enabled" });
    let createdOnProtected!: pulumi.dynamic.CreateResult;
    await count(
        "create (protection already on)",
        async () => (createdOnProtected = await provider.create(inputsFor(protectedKey))),
    );
    await count("delete (protection already on)", () =>
        provider.delete!(createdOnProtected.id, createdOnProtected.outs),
    );

    // ---- faults
    const faults: Array<[string, FaultSpec[]]> = [
        ["none", []],
        ["throttle x2 (Rejected.Throttling)", [{ kind: "throttle", times: 2 }]],
        ["InternalFailure 500 x2", [{ kind: "internalFailure", times: 2 }]],
        ["ServiceUnavailableTemporary 503 x1", [{ kind: "serviceUnavailable" }]],
        ["502 HTML page x1", [{ kind: "badGateway" }]],
        ["dropped connection x1", [{ kind: "drop" }]],
        ["answer after 1.5 s > 1 s timeout x1", [{ kind: "delay", delayMs: 1500 }]],
        ["throttle x10 (exhausts 5 attempts)", [{ kind: "throttle", times: 10 }]],
        ["wrong secret (not retried)", []],
    ];
    const figures: FaultFigure[] = [];
    for (const [fault, specs] of faults) {
        const times: number[] = [];
        let requests = 0;
        let outcome = "";
        for (let run = 0; run < runsPerFault; run++) {
            const key = emulator.seedKey();
            emulator.clearFaults();
            specs.forEach((spec) => emulator.injectFault(spec));
            if (fault.startsWith("wrong secret")) {
                process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "wrong";
            }
            emulator.resetCalls();
            const started = performance.now();
            try {
                await provider.create(inputsFor(key));
                outcome = "created";
            } catch (error) {
                outcome = `failed: ${(error as Error).message.replace(/ \(RequestId: .*\)$/, "")}`;
            }
            times.push(performance.now() - started);
            requests = emulator.callCount();
            process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = accessKey.accessKeySecret;
        }
        // A clean create makes 2 requests; a failed one stops at its first call (DescribeKey).
        figures.push({
            fault,
            outcome,
            requests,
            retries: outcome === "created" ? requests - 2 : requests - 1,
            medianMs: Math.round(median(times)),
            maxMs: Math.round(Math.max(...times)),
        });
    }

    // ---- serialized provider
    // As dynamic.Resource stores it: serializeFunction(() => provider, { allowSecrets: true }).
    const stored = createKeyDeletionGuardProvider({ moduleCandidates: providerModuleCandidates() });
    const serialized = await pulumi.runtime.serializeFunction(() => stored, { allowSecrets: true });
    await emulator.stop();

    const result = {
        retryPolicy: {
            ...defaultRetryOptions,
            clientTimeoutMs: settings.timeoutMs,
            jitter: "full",
        },
        kmsCallsPerOperation: calls,
        faults: figures,
        serializedProviderBytes: Buffer.byteLength(serialized.text),
    };
    if (process.argv.includes("--json")) {
        console.log(JSON.stringify(result, null, 2));
        return;
    }
    console.log("KeyDeletionGuard: KMS calls per operation (counted by the emulator)");
    for (const [label, value] of Object.entries(calls)) {
        console.log(`  ${label.padEnd(34)} ${value}`);
    }
    console.log(
        `\nCreate under injected faults (${runsPerFault} runs each; backoff base ${defaultRetryOptions.baseDelayMs} ms, ` +
            `cap ${defaultRetryOptions.maxDelayMs} ms, ${defaultRetryOptions.maxAttempts} attempts, full jitter; timeout ${settings.timeoutMs} ms)`,
    );
    console.log(
        `  ${"fault".padEnd(38)} ${"requests".padStart(8)} ${"retries".padStart(7)} ${"median ms".padStart(9)} ${"max ms".padStart(7)}  outcome`,
    );
    for (const figure of figures) {
        console.log(
            `  ${figure.fault.padEnd(38)} ${String(figure.requests).padStart(8)} ${String(figure.retries).padStart(7)} ${String(figure.medianMs).padStart(9)} ${String(figure.maxMs).padStart(7)}  ${figure.outcome}`,
        );
    }
    console.log(
        `\nSerialized provider (__provider in the state): ${result.serializedProviderBytes} bytes`,
    );
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
