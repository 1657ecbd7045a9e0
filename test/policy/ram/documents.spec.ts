// Direct calls for small edge cases of RAM documents (no pack process).
import * as assert from "assert";
import {
    denyScope,
    denyScopeCoversCluster,
    parseLegacyStatements,
    parsePolicyDocument,
    RamStatement,
    statementAllows,
    statementCoversResource,
    statementDenies,
} from "../../../policy/ram/documents";

const action = "cs:UpdateKMSEncryption";

function statements(document: unknown): RamStatement[] {
    const parsed = parsePolicyDocument(document);
    assert.ok(Array.isArray(parsed), JSON.stringify(parsed));
    return parsed;
}

describe("policy/ram/documents", () => {
    it("treats a single Action string like a one-item list", () => {
        const [single] = statements({
            Statement: [{ Effect: "Allow", Action: "cs:*", Resource: "*" }],
        });
        const [list] = statements({
            Statement: [{ Effect: "Allow", Action: ["cs:*"], Resource: "*" }],
        });
        assert.deepStrictEqual(single, list);
        assert.strictEqual(statementAllows(single, action), true);
    });

    it("lets NotAction grant everything it does not list", () => {
        const [s] = statements({
            Statement: [{ Effect: "Allow", NotAction: ["ram:*"], Resource: "*" }],
        });
        assert.strictEqual(statementAllows(s, action), true);
        const [excluded] = statements({
            Statement: [{ Effect: "Allow", NotAction: "cs:Update*", Resource: "*" }],
        });
        assert.strictEqual(statementAllows(excluded, action), false);
    });

    it("counts a Deny with NotAction that leaves the action in", () => {
        const [s] = statements({
            Statement: [{ Effect: "Deny", NotAction: "ecs:*", Resource: "*" }],
        });
        assert.strictEqual(statementDenies(s, action), true);
    });

    it("takes a Deny on all resources or on ACK resources, not on others", () => {
        const deny = (Resource: unknown) =>
            statements({ Statement: [{ Effect: "Deny", Action: action, Resource }] })[0];
        assert.strictEqual(statementDenies(deny("*"), action), true);
        assert.strictEqual(
            statementDenies(deny(["acs:cs:*:*:cluster/c1", "acs:cs:*:*:cluster/c2"]), action),
            true,
        );
        assert.strictEqual(statementDenies(deny("acs:ecs:*:*:instance/*"), action), false);
    });

    it("does not read an Effect in another letter case", () => {
        assert.deepStrictEqual(
            parsePolicyDocument({ Statement: [{ Effect: "allow", Action: "*", Resource: "*" }] }),
            { problems: ['Statement[0].Effect is not "Allow" or "Deny"'] },
        );
    });

    it("says why a document cannot be read", () => {
        assert.deepStrictEqual(parsePolicyDocument("{"), {
            problems: ["the document is not valid JSON"],
        });
        assert.deepStrictEqual(parsePolicyDocument("[]"), {
            problems: ["the document is not a JSON object"],
        });
        assert.deepStrictEqual(parsePolicyDocument("{}"), {
            problems: ["the document has no Statement"],
        });
        assert.deepStrictEqual(
            parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: [1], Resource: "*" }] }),
            { problems: ["Statement[0].Action[0] is not a string"] },
        );
    });

    describe("fails closed on documents it cannot read unambiguously", () => {
        const problems = (text: string) => {
            const parsed = parsePolicyDocument(text);
            assert.ok(!Array.isArray(parsed), `read ${JSON.stringify(text)}`);
            return parsed.problems;
        };
        const statement = (body: string) => `{"Version":"1","Statement":[${body}]}`;

        it("attack: a duplicate Effect, of which JSON.parse keeps the last (Allow)", () => {
            assert.deepStrictEqual(
                problems(
                    statement('{"Effect":"Deny","Effect":"Allow","Action":"cs:*","Resource":"*"}'),
                ),
                ['duplicate key "Effect" in Statement[0]'],
            );
        });

        it("attack: a duplicate Action hiding cs:* behind a harmless first value", () => {
            assert.deepStrictEqual(
                problems(
                    statement('{"Effect":"Allow","Action":"ecs:*","Action":"cs:*","Resource":"*"}'),
                ),
                ['duplicate key "Action" in Statement[0]'],
            );
        });

        it("attack: a second Statement list replacing the first", () => {
            assert.deepStrictEqual(
                problems(
                    '{"Version":"1","Statement":[],"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
                ),
                ['duplicate key "Statement" in the document'],
            );
        });

        it("attack: a duplicate key inside a Condition", () => {
            assert.deepStrictEqual(
                problems(
                    statement(
                        '{"Effect":"Deny","Action":"cs:*","Resource":"*","Condition":{"Bool":{"acs:MFAPresent":"false"},"Bool":{}}}',
                    ),
                ),
                ['duplicate key "Bool" in Statement[0].Condition'],
            );
        });

        it("attack: duplicate keys spelled with escapes", () => {
            assert.deepStrictEqual(
                problems(
                    statement(
                        '{"Effect":"Deny","\\u0045ffect":"Allow","Action":"*","Resource":"*"}',
                    ),
                ),
                ['duplicate key "Effect" in Statement[0]'],
            );
        });

        it("attack: a Statement entry that is not an object", () => {
            assert.deepStrictEqual(problems(statement('"Allow cs:*", null, ["cs:*"]')), [
                "Statement[0] is not an object",
                "Statement[1] is not an object",
                "Statement[2] is not an object",
            ]);
        });

        it("attack: keys in another letter case (effect, action)", () => {
            assert.deepStrictEqual(
                problems(statement('{"effect":"Allow","action":"cs:*","Resource":"*"}')),
                [
                    'key "effect" in Statement[0] is not spelled "Effect"',
                    'key "action" in Statement[0] is not spelled "Action"',
                    "Statement[0] has no Effect",
                    "Statement[0] has neither Action nor NotAction",
                ],
            );
            assert.deepStrictEqual(problems('{"Version":"1","statement":[]}'), [
                'key "statement" in the document is not spelled "Statement"',
                "the document has no Statement",
            ]);
        });

        it("attack: an element RAM does not have (Actions)", () => {
            assert.deepStrictEqual(
                problems(
                    statement(
                        '{"Effect":"Allow","Action":"ecs:*","Actions":"cs:*","Resource":"*"}',
                    ),
                ),
                ['unexpected key "Actions" in Statement[0]'],
            );
        });

        it("attack: non-string entries in Action", () => {
            assert.deepStrictEqual(
                problems(
                    statement('{"Effect":"Allow","Action":["ecs:*",{"cs":"*"},7],"Resource":"*"}'),
                ),
                [
                    "Statement[0].Action[1] is not a string",
                    "Statement[0].Action[2] is not a string",
                ],
            );
        });

        it("attack: leading or trailing spaces in values", () => {
            assert.deepStrictEqual(
                problems(
                    statement(
                        '{"Effect":"Allow ","Action":[" cs:UpdateKMSEncryption"],"Resource":"* "}',
                    ),
                ),
                [
                    "Statement[0].Effect has leading or trailing spaces",
                    "Statement[0].Action[0] has leading or trailing spaces",
                    "Statement[0].Resource has leading or trailing spaces",
                    'Statement[0].Effect is not "Allow" or "Deny"',
                ],
            );
        });

        it("attack: a byte-order mark before the document", () => {
            assert.deepStrictEqual(problems("\ufeff" + statement("")), [
                "the document starts with a byte-order mark",
            ]);
        });

        it("attack: a zero-width space inside an action name", () => {
            assert.deepStrictEqual(
                problems(
                    statement(
                        '{"Effect":"Allow","Action":"cs:Update\u200bKMSEncryption","Resource":"*"}',
                    ),
                ),
                ["Statement[0].Action has invisible or control characters"],
            );
        });

        it("attack: both Action and NotAction, or both Resource and NotResource", () => {
            assert.deepStrictEqual(
                problems(
                    statement(
                        '{"Effect":"Allow","Action":"ecs:*","NotAction":"ram:*","Resource":"*","NotResource":"x"}',
                    ),
                ),
                [
                    "Statement[0] has both Action and NotAction",
                    "Statement[0] has both Resource and NotResource",
                ],
            );
        });

        it("attack: an empty Action list, no Resource, a Condition that is not an object", () => {
            assert.deepStrictEqual(
                problems(statement('{"Effect":"Deny","Action":[],"Condition":"true"}')),
                [
                    "Statement[0].Action is an empty list",
                    "Statement[0] has neither Resource nor NotResource",
                    "Statement[0].Condition is not an object",
                ],
            );
        });

        it("attack: another Version, a document encoded twice, trailing commas, comments", () => {
            assert.deepStrictEqual(problems('{"Version":"2","Statement":[]}'), [
                'Version is not "1"',
            ]);
            assert.deepStrictEqual(problems(JSON.stringify(statement(""))), [
                "the document is not a JSON object",
            ]);
            assert.deepStrictEqual(problems('{"Version":"1","Statement":[],}'), [
                "the document is not valid JSON",
            ]);
            assert.deepStrictEqual(problems('{"Version":"1",/* x */"Statement":[]}'), [
                "the document is not valid JSON",
            ]);
        });

        it("reads escaped keys as RAM does: an escaped Allow is still a grant", () => {
            const parsed = parsePolicyDocument(
                statement('{"\\u0045ffect":"Allow","Action":"cs:*","Resource":"*"}'),
            );
            assert.ok(Array.isArray(parsed), JSON.stringify(parsed));
            assert.strictEqual(statementAllows(parsed[0], action), true);
        });

        it("reads the deprecated statements input as strictly", () => {
            assert.deepStrictEqual(
                parseLegacyStatements([
                    { effect: "allow", actions: ["cs:*"], resources: ["*"] },
                    { effect: "Allow", actions: ["cs:*", 1], resources: ["*"] },
                    "Allow cs:*",
                ]),
                {
                    problems: [
                        'statements[0].effect is not "Allow" or "Deny"',
                        "statements[1].actions[1] is not a string",
                        "statements[2] is not an object",
                    ],
                },
            );
        });
    });

    describe("which clusters a Deny applies to", () => {
        const scope = (statement: Record<string, unknown>) =>
            denyScope(
                statements({ Statement: [{ Effect: "Deny", Action: action, ...statement }] })[0],
                action,
            );

        it("attack: a Deny with a Condition does not surely apply", () => {
            assert.strictEqual(
                scope({
                    Resource: "*",
                    Condition: { IpAddress: { "acs:SourceIp": "10.0.0.0/8" } },
                }),
                undefined,
            );
        });

        it("attack: a Deny with NotResource does not surely apply", () => {
            assert.strictEqual(scope({ NotResource: "acs:ecs:*:*:*" }), undefined);
        });

        it("applies a Deny on every resource or every cluster to any cluster", () => {
            for (const Resource of ["*", "acs:cs:*", "acs:cs:*:*:cluster/*", "acs:*:*:*:*"]) {
                assert.deepStrictEqual(scope({ Resource })?.allClusters, true, Resource);
            }
        });

        it("attack: a Deny scoped to another cluster, region or to clusters by a fixed-length pattern", () => {
            const c1 = scope({ Resource: "acs:cs:*:*:cluster/c1" })!;
            assert.strictEqual(c1.allClusters, false);
            assert.strictEqual(denyScopeCoversCluster(c1, "c1"), true);
            assert.strictEqual(denyScopeCoversCluster(c1, "c2"), false);
            assert.strictEqual(denyScopeCoversCluster(c1, "C1"), false);
            const beijing = scope({ Resource: "acs:cs:cn-beijing:*:cluster/*" })!;
            assert.strictEqual(beijing.allClusters, false);
            assert.strictEqual(denyScopeCoversCluster(beijing, "c1", "cn-hangzhou"), false);
            assert.strictEqual(denyScopeCoversCluster(beijing, "c1", "cn-beijing"), true);
            assert.strictEqual(denyScopeCoversCluster(beijing, "c1"), false);
            assert.strictEqual(scope({ Resource: "acs:cs:*:*:cluster/???" })?.allClusters, false);
        });
    });
    describe("statementCoversResource", () => {
        const arn = "acs:kms:cn-hangzhou:1234567890:key/key-1";
        const cover = (resource: Record<string, unknown>, keyArn: string | undefined) =>
            statementCoversResource(
                statements({ Statement: [{ Effect: "Deny", Action: "kms:*", ...resource }] })[0],
                keyArn,
            );

        it("matches Resource and NotResource against a known ARN", () => {
            assert.strictEqual(cover({ Resource: "acs:kms:*:*:key/key-1" }, arn), "covered");
            assert.strictEqual(cover({ Resource: "acs:kms:*:*:key/key-2" }, arn), "not-covered");
            assert.strictEqual(
                cover({ NotResource: "acs:kms:cn-hangzhou:*:*" }, arn),
                "not-covered",
            );
            assert.strictEqual(cover({ NotResource: "acs:kms:cn-beijing:*:*" }, arn), "covered");
        });

        it("covers an unknown ARN only by a wildcard Resource, else leaves it undecided", () => {
            for (const wildcard of ["*", "acs:kms:*:*:*", "acs:kms:*:*:key/*"]) {
                assert.strictEqual(cover({ Resource: wildcard }, undefined), "covered", wildcard);
            }
            for (const resource of [
                { Resource: arn },
                { Resource: "acs:kms:?:*:*" },
                { NotResource: "acs:kms:cn-hangzhou:*:*" },
                { NotResource: "acs:ecs:*:*:*" },
            ]) {
                const label = JSON.stringify(resource);
                assert.strictEqual(cover(resource, undefined), "undecided", label);
            }
        });
    });
});
