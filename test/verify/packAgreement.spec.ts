// One rule, one place: the pack (through the analyzer protocol, as the Pulumi CLI runs it) and
// `ack-kms verify` (through the RAM emulator, over signed HTTP) give the same verdict on every
// document of the table: it denies cs:UpdateKMSEncryption on the cluster, it does not, or it
// cannot be read. The expected verdict is pinned too, so both cannot drift together unnoticed.
import { strict as assert } from "assert";
import { runVerifyChecks } from "../../cloud/verify/run";
import { ActionTrailEmulator, startActionTrailEmulator } from "../support/actiontrailEmulator";
import { CsEmulator, startCsEmulator } from "../support/csEmulator";
import { KmsEmulator } from "../support/kmsEmulator";
import { RamEmulator, startRamEmulator } from "../support/ramEmulator";
import {
    attach,
    existingClusterEncryption,
    externalClusterId,
    key,
    keyId,
    PackHarness,
    ramPolicy,
} from "../policy/support/stack";

type Verdict = "denies" | "does-not-deny" | "unreadable";

const credentials = { accessKeyId: "LTAIagreeKey", accessKeySecret: "agree-secret" };
const action = "cs:UpdateKMSEncryption";
const cluster = `acs:cs:cn-hangzhou:1234567890:cluster/${externalClusterId}`;
const doc = (...statements: unknown[]) => JSON.stringify({ Version: "1", Statement: statements });
const deny = (more: Record<string, unknown> = {}) => ({
    Effect: "Deny",
    Action: action,
    Resource: "*",
    ...more,
});

/** [what the document is, its text, the verdict for the cluster in cn-hangzhou] */
const table: Array<[string, string, Verdict]> = [
    ["a Deny of the action on every resource", doc(deny()), "denies"],
    ["a Deny by wildcard, in another letter case", doc(deny({ Action: "CS:update*" })), "denies"],
    ["a Deny by one-character wildcard", doc(deny({ Action: "cs:UpdateKMSEncryptio?" })), "denies"],
    ["a Deny of every action", doc(deny({ Action: "*" })), "denies"],
    [
        "a Deny with NotAction not listing the action",
        doc({ Effect: "Deny", NotAction: ["ecs:*", "kms:*"], Resource: "*" }),
        "denies",
    ],
    [
        "a Deny with NotAction listing the action by wildcard",
        doc({ Effect: "Deny", NotAction: "cs:Update*", Resource: "*" }),
        "does-not-deny",
    ],
    ["a single-object Statement", JSON.stringify({ Version: "1", Statement: deny() }), "denies"],
    ["a Deny naming the cluster's ARN", doc(deny({ Resource: [cluster] })), "denies"],
    [
        "a Deny of the cluster in its region, any account",
        doc(deny({ Resource: `acs:cs:cn-hangzhou:*:cluster/${externalClusterId}` })),
        "denies",
    ],
    ["a Deny of acs:*", doc(deny({ Resource: "acs:*" })), "denies"],
    ["a Deny of every cs resource", doc(deny({ Resource: "acs:cs:*:*:*" })), "denies"],
    [
        "a Deny of another cluster",
        doc(deny({ Resource: "acs:cs:*:*:cluster/c9" })),
        "does-not-deny",
    ],
    [
        "a Deny of the cluster id in another region",
        doc(deny({ Resource: `acs:cs:cn-beijing:*:cluster/${externalClusterId}` })),
        "does-not-deny",
    ],
    [
        "a Deny of the cluster's ARN in upper case",
        doc(deny({ Resource: cluster.toUpperCase() })),
        "does-not-deny",
    ],
    ["a Deny of ECS resources only", doc(deny({ Resource: "acs:ecs:*:*:*" })), "does-not-deny"],
    [
        "a Deny under a Condition",
        doc(deny({ Condition: { Bool: { "acs:MFAPresent": "false" } } })),
        "does-not-deny",
    ],
    [
        "a Deny with NotResource",
        doc({ Effect: "Deny", Action: action, NotResource: "acs:ecs:*:*:*" }),
        "does-not-deny",
    ],
    ["an Allow of the action", doc({ ...deny(), Effect: "Allow" }), "does-not-deny"],
    ["no statements", doc(), "does-not-deny"],
    [
        "duplicate Effect keys (JSON.parse keeps the last)",
        `{"Version":"1","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"${action}","Resource":"*"}]}`,
        "unreadable",
    ],
    [
        "duplicate Statement keys",
        `{"Version":"1","Statement":[],"Statement":[${JSON.stringify(deny())}]}`,
        "unreadable",
    ],
    ["a byte-order mark", "\ufeff" + doc(deny()), "unreadable"],
    ["keys in lower case", doc({ effect: "Deny", action, resource: "*" }), "unreadable"],
    ["an Effect in lower case", doc(deny({ Effect: "deny" })), "unreadable"],
    [
        "a statement key in upper case",
        JSON.stringify({ Version: "1", STATEMENT: [deny()] }),
        "unreadable",
    ],
    ["Action with NotAction", doc(deny({ NotAction: "ecs:*" })), "unreadable"],
    ["an empty Action list", doc(deny({ Action: [] })), "unreadable"],
    ["a zero-width space in the Action", doc(deny({ Action: `${action}\u200b` })), "unreadable"],
    ["a trailing comma", doc(deny()).replace(/\]\}$/, ",]}"), "unreadable"],
    ["a document encoded twice", JSON.stringify(doc(deny())), "unreadable"],
    ["a Version other than 1", JSON.stringify({ Version: "2", Statement: [deny()] }), "unreadable"],
];

describe("the pack and verify agree on RAM documents", () => {
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
        cs.addCluster({ clusterId: externalClusterId, encryptionKeyId: keyId });
        kms.seedKey({ keyId, deletionProtection: "Enabled", automaticRotation: "Enabled" });
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

    /** The pack's verdict: a stack binding the external cluster, the policy attached to a role. */
    async function packVerdict(text: string): Promise<Verdict> {
        const { violations } = await harness.run([
            key("secrets"),
            existingClusterEncryption(),
            ramPolicy("p", { policyDocument: text }),
            attach("role", "ops", "p"),
        ]);
        const message = (policy: string) =>
            violations.filter((v) => v.policyName === policy).map((v) => v.message);
        if (
            message("ram-no-allow-update-kms-encryption").some((m) =>
                m.includes("so it can be read unambiguously"),
            )
        ) {
            return "unreadable";
        }
        return message("ram-deny-update-kms-encryption-attached").length === 0
            ? "denies"
            : "does-not-deny";
    }

    /** Verify's verdict: the same document as the account's one custom policy, attached. */
    async function verifyVerdict(text: string): Promise<Verdict> {
        ram.policies.splice(0, ram.policies.length, {
            policyName: "p",
            document: text,
            attachmentCount: 1,
        });
        const report = await runVerifyChecks({
            clusterId: externalClusterId,
            regionId: "cn-hangzhou",
            since: new Date(Date.now() - 86_400_000),
            credentials,
            endpoints: { cs: cs.url, kms: kms.endpoint, actiontrail: trail.url, ram: ram.url },
        });
        const check = report.checks.find((c) => c.id === "ram-deny-update-kms-encryption")!;
        if (check.status === "pass") {
            return "denies";
        }
        return check.detail.startsWith("could not read custom policy p (")
            ? "unreadable"
            : "does-not-deny";
    }

    it("gives the same verdict as the pack on every document of the table, the expected one", async () => {
        const rows: Array<[string, Verdict, Verdict]> = [];
        for (const [what, text] of table) {
            rows.push([what, await packVerdict(text), await verifyVerdict(text)]);
        }
        assert.deepEqual(
            rows,
            table.map(([what, , expected]) => [what, expected, expected]),
        );
        assert.equal(ram.rejectedSignatures(), 0);
    });
});
