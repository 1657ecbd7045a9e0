// One rule, one place: SecretsEncryptionKey (at construction), the pack (through the analyzer
// protocol, as the Pulumi CLI runs it) and `ack-kms verify` (through the KMS emulator, over signed
// HTTP) judge a key's rotation the same way on every row of the table. The expected verdict is
// pinned too. Before the shared verdict (policy/verdicts/rotation.ts), the pack and verify passed
// intervals shorter than the key type allows, and verify passed an interval it could not parse or
// did not get.
import { strict as assert } from "assert";
import { runVerifyChecks } from "../../cloud/verify/run";
import { validateKeyArgs } from "../../components/secretsEncryptionKey";
import { ActionTrailEmulator, startActionTrailEmulator } from "../support/actiontrailEmulator";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";
import { KmsEmulator } from "../support/kmsEmulator";
import { RamEmulator, startRamEmulator } from "../support/ramEmulator";
import { existingClusterEncryption, key, keyArn, PackHarness } from "../policy/support/stack";

type Verdict = "accepts" | "refuses";

const credentials = { accessKeyId: "LTAIrotationKey", accessKeySecret: "rotation-secret" };
const instance = "kst-hzz6rotation0001";

/** [what, key type, rotationInterval, verdict, which copies got it wrong before] */
const table: Array<[string, "default" | "software", string, Verdict, string]> = [
    ["a default key every 365 days", "default", "365d", "accepts", ""],
    ["a default key every 31536000 seconds", "default", "31536000s", "accepts", ""],
    ["a default key every 7 days", "default", "7d", "refuses", "pack, verify"],
    ["a software key every 7 days", "software", "7d", "accepts", ""],
    ["a software key every 604800 seconds", "software", "604800s", "accepts", ""],
    ["a software key every hour", "software", "3600s", "refuses", "pack, verify"],
    ["a software key every 6 days 23 hours", "software", "167h", "refuses", "pack, verify"],
    ["a software key every 400 days", "software", "400d", "refuses", ""],
    ["a software key with interval 1y", "software", "1y", "refuses", "verify"],
    ["a software key with interval 0d", "software", "0d", "refuses", "verify"],
    ["a software key with an empty interval", "software", "", "refuses", "verify"],
];

function keyInputs(type: "default" | "software"): Record<string, string> {
    return type === "software" ? { dkmsInstanceId: instance } : {};
}

function componentVerdict(type: "default" | "software", interval: string): Verdict {
    return validateKeyArgs({ ...keyInputs(type), rotationInterval: interval }).length === 0
        ? "accepts"
        : "refuses";
}

describe("SecretsEncryptionKey, the pack and verify agree on key rotation", () => {
    const harness = new PackHarness();
    let cs: CsEmulator;
    let kms: KmsEmulator;
    let trail: ActionTrailEmulator;
    let ram: RamEmulator;

    before(async () => {
        await harness.start();
        cs = await startCsEmulator({ credentials: [credentials] });
        kms = await new KmsEmulator({ accessKeys: [credentials] }).start();
        trail = await startActionTrailEmulator({ credentials: [credentials] });
        ram = await startRamEmulator({ credentials: [credentials] });
    });
    after(async () => {
        await Promise.all([
            harness.close(),
            cs?.close(),
            kms?.stop(),
            trail?.close(),
            ram?.close(),
        ]);
    });

    /** The pack's verdict on a stack whose external cluster is bound to the key. */
    async function packMessages(props: Record<string, unknown>): Promise<string[]> {
        const { violations } = await harness.run([
            key("secrets", props),
            existingClusterEncryption(),
        ]);
        return violations
            .filter((v) => v.policyName === "kms-key-rotation-enabled")
            .map((v) => v.message);
    }

    /** Verify's key-rotation check on a live cluster encrypting with the key. */
    async function verifyCheck(row: number, seed: Parameters<KmsEmulator["seedKey"]>[0]) {
        const keyId = `key-hzz6rotation${String(row).padStart(4, "0")}`;
        const clusterId = `c${String(row).padStart(32, "0")}`;
        kms.seedKey({ keyId, deletionProtection: "Enabled", ...seed });
        cs.addCluster({ clusterId, encryptionKeyId: keyId });
        const report = await runVerifyChecks({
            clusterId,
            regionId: "cn-hangzhou",
            since: new Date(Date.now() - 86_400_000),
            credentials,
            endpoints: { cs: cs.url, kms: kms.endpoint, actiontrail: trail.url, ram: ram.url },
        });
        return report.checks.find((c) => c.id === "key-rotation")!;
    }

    it("gives the same verdict in all three on every interval of the table, the expected one", async () => {
        const rows: Array<[string, Verdict, Verdict, Verdict]> = [];
        for (const [index, [what, type, interval]] of table.entries()) {
            const pack = await packMessages({
                ...keyInputs(type),
                arn: keyArn(),
                rotationInterval: interval,
            });
            const check = await verifyCheck(index, {
                ...keyInputs(type),
                automaticRotation: "Enabled",
                rotationInterval: interval,
            });
            rows.push([
                what,
                componentVerdict(type, interval),
                pack.length === 0 ? "accepts" : "refuses",
                check.status === "pass" ? "accepts" : "refuses",
            ]);
        }
        assert.deepEqual(
            rows,
            table.map(([what, , , expected]) => [what, expected, expected, expected]),
        );
    });

    it("agrees that an HSM key cannot rotate: the component refuses an interval, the pack asks nothing, verify warns", async () => {
        assert.match(
            validateKeyArgs({ protectionLevel: "HSM", rotationInterval: "365d" }).join(" "),
            /HSM keys cannot rotate automatically/,
        );
        assert.deepEqual(
            await packMessages({ protectionLevel: "HSM", automaticRotation: "Disabled" }),
            [],
        );
        const check = await verifyCheck(100, { protectionLevel: "HSM" });
        assert.equal(check.status, "warn");
        assert.match(check.detail, /cannot rotate automatically/);
    });

    it("refuses in the pack and verify a key that rotates but names no interval", async () => {
        const messages = await packMessages({ rotationInterval: undefined });
        assert.deepEqual(
            messages.map((m) => m.split("\n").pop()),
            [
                "Set rotationInterval to at most 365d on the key of cluster c0123456789abcdef0123456789abcdef.",
            ],
        );
        // Enabled with no interval: what verify got from a key it used to pass as "interval unknown".
        const keyId = "key-hzz6rotation0200";
        kms.seedKey({ keyId, deletionProtection: "Enabled", automaticRotation: "Enabled" });
        kms.key(keyId).rotationInterval = undefined;
        cs.addCluster({ clusterId: `c${"2".padStart(32, "0")}`, encryptionKeyId: keyId });
        const report = await runVerifyChecks({
            clusterId: `c${"2".padStart(32, "0")}`,
            regionId: "cn-hangzhou",
            since: new Date(Date.now() - 86_400_000),
            credentials,
            endpoints: { cs: cs.url, kms: kms.endpoint, actiontrail: trail.url, ram: ram.url },
        });
        const check = report.checks.find((c) => c.id === "key-rotation")!;
        assert.deepEqual(
            [check.status, check.detail],
            [
                "fail",
                `${keyId} has automatic rotation on but DescribeKey gave no rotation interval`,
            ],
        );
    });
});
