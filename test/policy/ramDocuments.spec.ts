// Direct calls for small edge cases of RAM documents and rotation limits (no pack process).
import * as assert from "assert";
import { allowedRotationDays } from "../../policy/policies/kmsKeyRotationEnabled";
import {
    parsePolicyDocument,
    RamStatement,
    statementAllows,
    statementDenies,
} from "../../policy/ramDocuments";

const action = "cs:UpdateKMSEncryption";

function statements(document: unknown): RamStatement[] {
    const parsed = parsePolicyDocument(document);
    assert.ok(Array.isArray(parsed), JSON.stringify(parsed));
    return parsed;
}

describe("policy/ramDocuments", () => {
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

    it("compares Effect without regard to case", () => {
        const [s] = statements({ Statement: [{ Effect: "allow", Action: "*", Resource: "*" }] });
        assert.strictEqual(statementAllows(s, action), true);
    });

    it("says why a document cannot be read", () => {
        assert.deepStrictEqual(parsePolicyDocument("{"), {
            problem: "the policy document is not valid JSON",
        });
        assert.deepStrictEqual(parsePolicyDocument("[]"), {
            problem: "the policy document is not a JSON object",
        });
        assert.deepStrictEqual(parsePolicyDocument("{}"), {
            problem: "the policy document has no Statement list",
        });
        assert.deepStrictEqual(
            parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: [1] }] }),
            {
                problem: "a statement has neither an Action nor a NotAction list of strings",
            },
        );
    });
});

describe("kms-key-rotation-enabled limits", () => {
    it("allows default keys only 365 days", () => {
        assert.strictEqual(allowedRotationDays("default", 365), 365);
        assert.strictEqual(allowedRotationDays("default", 364), undefined);
    });
    it("allows software keys 7 to 365 days", () => {
        assert.strictEqual(allowedRotationDays("software", 30), 30);
        assert.strictEqual(allowedRotationDays("software", 7), 7);
        assert.strictEqual(allowedRotationDays("software", 400), 365);
    });
    it("allows HSM keys no automatic rotation", () => {
        assert.strictEqual(allowedRotationDays("hsm", 365), undefined);
    });
});
