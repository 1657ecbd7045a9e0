// A fleet on the emulators for the audit specs and the bench: CS (every region), one KMS per
// region, RAM and billing, with healthy clusters and, on demand, one of each kind of trouble.
import { BssEmulator, startBssEmulator } from "../support/bssEmulator";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";
import { KmsEmulator } from "../support/kmsEmulator";
import { RamEmulator, startRamEmulator } from "../support/ramEmulator";
import type { AuditEndpoints } from "../../audit/options";

export const fleetCredentials = { accessKeyId: "LTAIauditKey", accessKeySecret: "audit-secret" };
export const fleetNow = new Date("2026-03-01T12:00:00Z");
export const denyUpdateDocument = {
    Version: "1",
    Statement: [{ Effect: "Deny", Action: ["cs:UpdateKMSEncryption"], Resource: ["*"] }],
};

export interface Fleet {
    cs: CsEmulator;
    kms: Map<string, KmsEmulator>;
    ram: RamEmulator;
    bss: BssEmulator;
    regions: string[];
    endpoints: AuditEndpoints;
    /** The endpoint flags of the CLI. */
    flags: string[];
    close(): Promise<void>;
}

export async function startFleet(regions: string[]): Promise<Fleet> {
    const credentials = [fleetCredentials];
    const cs = await startCsEmulator({ credentials });
    const kms = new Map<string, KmsEmulator>();
    for (const regionId of regions) {
        kms.set(regionId, await new KmsEmulator({ regionId, accessKeys: credentials }).start());
    }
    const ram = await startRamEmulator({ credentials, pageSize: 50 });
    const bss = await startBssEmulator({ credentials });
    ram.policies.push({
        policyName: "deny-kms-updates",
        document: denyUpdateDocument,
        attachmentCount: 2,
    });
    const byRegion = Object.fromEntries(regions.map((r) => [r, kms.get(r)!.endpoint]));
    return {
        cs,
        kms,
        ram,
        bss,
        regions,
        endpoints: {
            cs: { all: cs.url, byRegion: {} },
            kms: { byRegion },
            ram: ram.url,
            bss: bss.url,
        },
        flags: [
            "--cs-endpoint",
            cs.url,
            ...regions.flatMap((r) => ["--kms-endpoint", `${r}=${kms.get(r)!.endpoint}`]),
            "--ram-endpoint",
            ram.url,
            "--bss-endpoint",
            bss.url,
        ],
        async close() {
            await cs.close();
            for (const k of kms.values()) {
                await k.stop();
            }
            await ram.close();
            await bss.close();
        },
    };
}

/** A healthy encrypted cluster with its own protected, rotating key. */
export function addHealthyCluster(fleet: Fleet, regionId: string, clusterId: string): string {
    const keyId = fleet.kms.get(regionId)!.seedKey({
        keyId: `key-${clusterId}`,
        deletionProtection: "Enabled",
        automaticRotation: "Enabled",
        rotationInterval: "31536000s",
    });
    fleet.cs.addCluster({ clusterId, regionId, encryptionKeyId: keyId, encryptionDisabled: false });
    return keyId;
}

/** `count` healthy clusters spread over the fleet's regions, round robin. */
export function addHealthyClusters(fleet: Fleet, count: number): void {
    for (let i = 0; i < count; i++) {
        const regionId = fleet.regions[i % fleet.regions.length];
        addHealthyCluster(fleet, regionId, `c${String(i).padStart(4, "0")}-${regionId}`);
    }
}

/** One cluster with each kind of trouble, in cn-hangzhou. */
export function addTroubles(fleet: Fleet): void {
    const kms = fleet.kms.get("cn-hangzhou")!;
    fleet.cs.addCluster({ clusterId: "bad-unencrypted", regionId: "cn-hangzhou" });
    const unprotected = kms.seedKey({
        keyId: "key-unprotected",
        automaticRotation: "Enabled",
        rotationInterval: "31536000s",
    });
    fleet.cs.addCluster({
        clusterId: "bad-unprotected",
        regionId: "cn-hangzhou",
        encryptionKeyId: unprotected,
        encryptionDisabled: false,
    });
    // A key in a subscription instance that ended a month ago and does not renew.
    kms.instances.set("kst-expired", {
        instanceId: "kst-expired",
        chargeType: "PREPAY",
        endDate: "2026-02-01T00:00:00Z",
        status: "Connected",
    });
    fleet.bss.instances.set("kst-expired", {
        instanceId: "kst-expired",
        subscriptionType: "Subscription",
        renewStatus: "ManualRenewal",
        endTime: "2026-02-01T00:00:00Z",
    });
    kms.seedKey({
        keyId: "key-expired",
        dkmsInstanceId: "kst-expired",
        deletionProtection: "Enabled",
    });
    fleet.cs.addCluster({
        clusterId: "bad-expired",
        regionId: "cn-hangzhou",
        encryptionKeyId: "key-expired",
        encryptionDisabled: false,
    });
    // A key in a healthy instance whose key policy denies the ACK role Decrypt.
    kms.instances.set("kst-ok", {
        instanceId: "kst-ok",
        chargeType: "PREPAY",
        endDate: "2027-03-01T00:00:00Z",
        status: "Connected",
    });
    fleet.bss.instances.set("kst-ok", {
        instanceId: "kst-ok",
        subscriptionType: "Subscription",
        renewStatus: "AutoRenewal",
        endTime: "2027-03-01T00:00:00Z",
    });
    kms.seedKey({ keyId: "key-denied", dkmsInstanceId: "kst-ok", deletionProtection: "Enabled" });
    kms.keyPolicies.set(
        "key-denied",
        JSON.stringify({
            Version: "1",
            Statement: [
                {
                    Sid: "admins",
                    Effect: "Allow",
                    Principal: { RAM: ["acs:ram::1234567890123456:*"] },
                    Action: ["kms:*"],
                    Resource: ["*"],
                },
                {
                    Sid: "lock out",
                    Effect: "Deny",
                    Principal: { RAM: ["acs:ram::*:role/AliyunCSManagedSecurityRole"] },
                    Action: ["kms:Decrypt"],
                    Resource: ["*"],
                },
            ],
        }),
    );
    fleet.cs.addCluster({
        clusterId: "bad-keypolicy",
        regionId: "cn-hangzhou",
        encryptionKeyId: "key-denied",
        encryptionDisabled: false,
    });
    // alice may disable one bound key, with no Deny; bob may do anything to any key but has the Deny.
    kms.seedKey({ keyId: "key-exposed", deletionProtection: "Enabled" });
    fleet.cs.addCluster({
        clusterId: "bad-exposed",
        regionId: "cn-hangzhou",
        encryptionKeyId: "key-exposed",
        encryptionDisabled: false,
    });
    fleet.ram.policies.push(
        {
            policyName: "ops-disable-one-key",
            document: {
                Version: "1",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "kms:DisableKey",
                        Resource: "acs:kms:*:*:key/key-exposed",
                    },
                ],
            },
            attachmentCount: 1,
            attachedTo: { users: ["alice"] },
        },
        {
            policyName: "kms-admin",
            document: {
                Version: "1",
                Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }],
            },
            attachmentCount: 1,
            attachedTo: { users: ["bob"] },
        },
        {
            policyName: "deny-key-destruction",
            document: {
                Version: "1",
                Statement: [
                    {
                        Effect: "Deny",
                        Action: [
                            "kms:DisableKey",
                            "kms:ScheduleKeyDeletion",
                            "kms:SetDeletionProtection",
                            "kms:SetKeyPolicy",
                        ],
                        Resource: "*",
                    },
                ],
            },
            attachmentCount: 1,
            attachedTo: { users: ["bob"] },
        },
    );
}
