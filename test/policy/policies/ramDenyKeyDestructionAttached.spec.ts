// ram-deny-key-destruction-attached through the analyzer protocol, with the document
// DenyKmsEncryptionUpdates writes with protectKeys.
import * as assert from "assert";
import { denyPolicyDocument } from "../../../components/denyKmsEncryptionUpdates";
import {
    attach,
    cluster,
    document,
    key,
    keyArn,
    keyId,
    previewKey,
    previewNotice,
    ramPolicy,
    resourceManagerPolicy,
    startedPack,
    unknown,
} from "../support/stack";

const policy = "ram-deny-key-destruction-attached";
const grantAll = document({ Effect: "Allow", Action: "kms:*", Resource: "*" });

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const harness = startedPack();
    const base = [key(), cluster("prod")];
    const ops = ramPolicy("kms-ops", { policyDocument: grantAll });
    const grant = attach("user", "alice", "kms-ops");

    it("reports a principal granted the key-destroying actions without a Deny", async () => {
        assert.deepStrictEqual(await harness.messages(policy, [...base, ops, grant]), [
            [
                "Attach a policy that denies kms:DisableKey, kms:ScheduleKeyDeletion, kms:SetDeletionProtection, kms:SetKeyPolicy on the key of cluster prod to user:alice, which kms-ops grants them (DenyKmsEncryptionUpdates with protectKeys does it), or list it in breakGlassPrincipals.",
                grant.urn,
            ],
        ]);
    });

    it("counts a system policy that grants them (AliyunKMSFullAccess)", async () => {
        const sys = attach("role", "ops", "AliyunKMSFullAccess", "System");
        const messages = await harness.messages(policy, [...base, sys]);
        assert.strictEqual(messages.length, 1);
        assert.match(messages[0][0], /to role:ops, which AliyunKMSFullAccess grants them/);
    });

    it("passes when the DenyKmsEncryptionUpdates document with protectKeys is attached", async () => {
        for (const protect of [keyId, keyArn()]) {
            const deny = ramPolicy("deny", {
                policyDocument: denyPolicyDocument(undefined, [protect]),
            });
            const resources = [...base, ops, grant, deny, attach("user", "alice", "deny")];
            assert.deepStrictEqual(await harness.messages(policy, resources), [], protect);
        }
    });

    it("reports only the actions a partial Deny leaves, and ignores a Deny of another key", async () => {
        const partial = ramPolicy("partial", {
            policyDocument: document({
                Effect: "Deny",
                Action: ["kms:DisableKey", "kms:ScheduleKeyDeletion"],
                Resource: keyArn(),
            }),
        });
        const other = ramPolicy("other", {
            policyDocument: denyPolicyDocument(undefined, ["key-someotherkey0001"]),
        });
        const messages = await harness.messages(policy, [
            ...base,
            ops,
            grant,
            partial,
            attach("user", "alice", "partial"),
            other,
            attach("user", "alice", "other"),
        ]);
        assert.strictEqual(messages.length, 1);
        assert.match(
            messages[0][0],
            /denies kms:SetDeletionProtection, kms:SetKeyPolicy on the key/,
        );
    });

    it("takes a group's Deny for its members, and skips break-glass principals", async () => {
        const deny = ramPolicy("deny", { policyDocument: denyPolicyDocument(undefined, [keyId]) });
        assert.deepStrictEqual(
            await harness.messages(policy, [...base, ops, grant], {
                [policy]: { breakGlassPrincipals: ["user:alice"] },
            }),
            [],
        );
        const groupOnly = [
            ...base,
            ops,
            attach("group", "ops", "kms-ops"),
            deny,
            attach("group", "ops", "deny"),
        ];
        assert.deepStrictEqual(await harness.messages(policy, groupOnly), []);
    });

    it("gives the preview notice for a NotResource Deny while the key's ARN is unknown", async () => {
        // NotResource acs:kms:cn-hangzhou:*:* does not deny on the keys of cn-hangzhou: in preview
        // it is no sure Deny of the key; the update reports the grant.
        const notHangzhou = ramPolicy("not-hangzhou", {
            policyDocument: document({
                Effect: "Deny",
                Action: "kms:*",
                NotResource: "acs:kms:cn-hangzhou:*:*",
            }),
        });
        const denyAttachment = attach("user", "alice", "not-hangzhou");
        const pk = previewKey();
        const bound = cluster("prod", { encryptionProviderKey: unknown }, { boundTo: pk });
        const { violations } = await harness.run([
            pk,
            bound,
            ops,
            grant,
            notHangzhou,
            denyAttachment,
        ]);
        assert.deepStrictEqual(
            violations
                .filter((v) => v.policyName === policy)
                .map((v) => [v.message, v.enforcementLevel, v.urn]),
            [
                [
                    previewNotice("the policy", `attachment ${denyAttachment.name}`),
                    "advisory",
                    denyAttachment.urn,
                ],
            ],
        );
        const messages = await harness.messages(policy, [
            ...base,
            ops,
            grant,
            notHangzhou,
            denyAttachment,
        ]);
        assert.strictEqual(messages.length, 1);
        assert.match(
            messages[0][0],
            /on the key of cluster prod to user:alice, which kms-ops grants/,
        );
    });

    it("does not count the Deny of a Resource Manager policy whose live version the stack does not hold", async () => {
        const rm = (defaultVersion: string) =>
            resourceManagerPolicy("deny", {
                policyDocument: denyPolicyDocument(undefined, [keyId]),
                defaultVersion,
            });
        const denyAttachment = attach("user", "alice", "deny");
        const messages = await harness.messages(policy, [
            ...base,
            ops,
            grant,
            rm("v3"),
            denyAttachment,
        ]);
        assert.strictEqual(messages.length, 1);
        assert.match(
            messages[0][0],
            /on the key of cluster prod to user:alice, which kms-ops grants/,
        );
        assert.deepStrictEqual(
            await harness.messages(policy, [...base, ops, grant, rm("v1"), denyAttachment]),
            [],
        );
    });

    it("reads a ram.Policy given with the legacy statements input", async () => {
        const legacy = ramPolicy("deny", {
            statements: [
                {
                    effect: "Deny",
                    actions: [
                        "kms:DisableKey",
                        "kms:ScheduleKeyDeletion",
                        "kms:SetDeletionProtection",
                        "kms:SetKeyPolicy",
                    ],
                    resources: [keyArn()],
                },
            ],
        });
        const resources = [...base, ops, grant, legacy, attach("user", "alice", "deny")];
        assert.deepStrictEqual(await harness.messages(policy, resources), []);
    });

    it("says nothing in a stack without a bound key", async () => {
        assert.deepStrictEqual(await harness.messages(policy, [key(), ops, grant]), []);
    });
});
