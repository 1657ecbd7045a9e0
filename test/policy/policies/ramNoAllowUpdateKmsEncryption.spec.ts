// ram-no-allow-update-kms-encryption through the analyzer protocol, in update form (names and
// documents known) and preview form (unknowns).
import * as assert from "assert";
import { secret } from "../../../offline/analyzer";
import {
    allow,
    denyStatement,
    document,
    previewNotice,
    ramPolicy,
    resourceManagerPolicy,
    unknown,
    unreadable,
    startedPack,
    policyMessages,
} from "../support/stack";

const policy = "ram-no-allow-update-kms-encryption";

describe(`policy ${policy}`, function () {
    this.timeout(120_000);
    const run = policyMessages(startedPack(), policy);

    const expectGrant = async (documentValue: unknown, how: string) => {
        const p = ramPolicy("ops", { policyDocument: documentValue });
        assert.deepStrictEqual(await run([p]), [
            [
                `Remove cs:UpdateKMSEncryption from the policy's Allow statements (${how}), or list the policy in breakGlassPolicyNames.`,
                p.urn,
            ],
        ]);
    };

    it("rejects an Allow of the action by name, in a list", async () => {
        await expectGrant(
            document(allow(["cs:DescribeClusters", "cs:UpdateKMSEncryption"])),
            'Action "cs:UpdateKMSEncryption"',
        );
    });

    it("rejects an Allow of cs:* given as a single string", async () => {
        await expectGrant(document(allow("cs:*")), 'Action "cs:*"');
    });

    it("rejects an Allow of every action", async () => {
        await expectGrant(document(allow("*")), 'Action "*"');
    });

    it("rejects a prefix wildcard", async () => {
        await expectGrant(document(allow(["cs:Update*"])), 'Action "cs:Update*"');
    });

    it("matches letter case and the single-character wildcard as RAM does", async () => {
        await expectGrant(
            document(allow(["CS:update?msencryption"])),
            'Action "CS:update?msencryption"',
        );
    });

    it("names only the matching patterns of each granting statement", async () => {
        await expectGrant(
            document(allow(["ecs:*", "cs:*Encryption"]), allow("cs:UpdateKMS*")),
            'Action "cs:*Encryption"; Action "cs:UpdateKMS*"',
        );
    });

    it("rejects an Allow with NotAction that does not exclude the action", async () => {
        await expectGrant(
            document({ Effect: "Allow", NotAction: ["ecs:*", "ram:*"], Resource: "*" }),
            'NotAction ["ecs:*","ram:*"] does not exclude it',
        );
    });

    it("passes an Allow with NotAction that excludes the action by wildcard", async () => {
        assert.deepStrictEqual(
            await run([
                ramPolicy("ops", {
                    policyDocument: document({
                        Effect: "Allow",
                        NotAction: "cs:*",
                        Resource: "*",
                    }),
                }),
            ]),
            [],
        );
    });

    it("passes an Allow with NotAction that excludes the action by name, as a string", async () => {
        assert.deepStrictEqual(
            await run([
                ramPolicy("ops", {
                    policyDocument: document({
                        Effect: "Allow",
                        NotAction: "cs:updatekmsencryption",
                        Resource: "*",
                    }),
                }),
            ]),
            [],
        );
    });

    it("passes a Deny of the action", async () => {
        assert.deepStrictEqual(
            await run([ramPolicy("deny", { policyDocument: document(denyStatement) })]),
            [],
        );
    });

    it("passes Allows of other actions", async () => {
        assert.deepStrictEqual(
            await run([
                ramPolicy("ops", {
                    policyDocument: document(
                        allow(["cs:Describe*", "cs:UpdateKMS", "kms:*", "ecs:*", "cs:?"]),
                    ),
                }),
            ]),
            [],
        );
    });

    it("reads the deprecated document input", async () => {
        const p = ramPolicy("ops", { document: document(allow("cs:*")) });
        assert.strictEqual((await run([p])).length, 1);
    });

    it("reads the deprecated statements input", async () => {
        const p = ramPolicy("ops", {
            statements: [{ effect: "Allow", actions: ["cs:Update*"], resources: ["*"] }],
        });
        assert.deepStrictEqual(await run([p]), [
            [
                `Remove cs:UpdateKMSEncryption from the policy's Allow statements (Action "cs:Update*"), or list the policy in breakGlassPolicyNames.`,
                p.urn,
            ],
        ]);
    });

    it("checks Resource Manager policies too", async () => {
        const p = resourceManagerPolicy("rm-ops", { policyDocument: document(allow("cs:*")) });
        assert.strictEqual((await run([p])).length, 1);
    });

    it("reads a policy document that is a secret", async () => {
        const p = ramPolicy("ops", { policyDocument: secret(document(allow("*"))) });
        assert.strictEqual((await run([p])).length, 1);
    });

    it("reads a Statement given as one object", async () => {
        const p = ramPolicy("ops", {
            policyDocument: JSON.stringify({ Version: "1", Statement: allow("cs:*") }),
        });
        assert.strictEqual((await run([p])).length, 1);
    });

    it("passes a break-glass policy listed in config", async () => {
        const p = ramPolicy("break-glass", { policyDocument: document(allow("*")) });
        assert.deepStrictEqual(
            await run([p], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
            [],
        );
    });

    it("matches break-glass names by the deprecated name input too", async () => {
        const p = ramPolicy("bg", {
            policyName: undefined,
            name: "break-glass",
            policyDocument: document(allow("*")),
        });
        assert.deepStrictEqual(
            await run([p], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
            [],
        );
    });

    it("does not let a break-glass list excuse other policies", async () => {
        const p = ramPolicy("ops", { policyDocument: document(allow("*")) });
        assert.strictEqual(
            (await run([p], { [policy]: { breakGlassPolicyNames: ["break-glass"] } })).length,
            1,
        );
    });

    it("gives a notice, not a violation, while the document is unknown in preview", async () => {
        const p = ramPolicy("ops", { policyDocument: unknown });
        assert.deepStrictEqual(await run([p]), [
            [previewNotice("the policy document", "RAM policy ops"), p.urn],
        ]);
    });

    it("gives a notice, not a violation, for a granting policy whose name is unknown while break-glass names are configured", async () => {
        const p = ramPolicy("ops", {
            policyName: unknown,
            policyDocument: document(allow("*")),
        });
        assert.deepStrictEqual(
            await run([p], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
            [[previewNotice("the policy name", "RAM policy ops"), p.urn]],
        );
        const harmless = ramPolicy("ops", {
            policyName: unknown,
            policyDocument: document(denyStatement),
        });
        assert.deepStrictEqual(
            await run([harmless], { [policy]: { breakGlassPolicyNames: ["break-glass"] } }),
            [],
        );
    });

    it("still reports a known grant when the name is unknown and nothing is allow-listed", async () => {
        const p = ramPolicy("ops", {
            policyName: unknown,
            policyDocument: document(allow("*")),
        });
        assert.strictEqual((await run([p])).length, 1);
    });

    it("rejects, without throwing, documents RAM would reject", async () => {
        const odd: Array<[string, string]> = [
            ["not json", "the document is not valid JSON"],
            [JSON.stringify({ Version: "1" }), "the document has no Statement"],
            [
                JSON.stringify({ Statement: [{ Effect: "Allow", Action: 42, Resource: "*" }] }),
                "Statement[0].Action is not a string or a list of strings",
            ],
            [JSON.stringify({ Statement: [null] }), "Statement[0] is not an object"],
            [JSON.stringify([1, 2]), "the document is not a JSON object"],
        ];
        for (const [i, [policyDocument, problem]] of odd.entries()) {
            const p = ramPolicy(`odd${i}`, { policyDocument });
            assert.deepStrictEqual(await run([p]), [[unreadable(problem), p.urn]], policyDocument);
        }
    });
});
