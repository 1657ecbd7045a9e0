// A role that is not a string (undefined, null, a number) is a `[roles] ...` problem, never a
// TypeError from the ACK service role check (which EncryptedCluster runs for every
// denyEncryptionUpdates that leaves protectKeys unset).
import * as assert from "assert";
import { ackServiceRoleProblem, validateDenyArgs } from "../../components/denyKmsEncryptionUpdates";
import { validateClusterArgs } from "../../components/encryptedCluster/argsValidation";

describe("roles that are not strings", () => {
    for (const [what, role] of [
        ["undefined", undefined],
        ["null", null],
        ["a number", 42],
    ] as const) {
        it(`the ACK service role check passes over ${what}`, () => {
            assert.strictEqual(ackServiceRoleProblem([role as any]), undefined);
        });

        it(`DenyKmsEncryptionUpdates reports ${what} as a [roles] problem`, () => {
            const problems = validateDenyArgs({ roles: [role as any] }, "default-name");
            assert.ok(problems.length > 0);
            for (const problem of problems) {
                assert.match(problem, /^\[roles\] /);
            }
        });

        it(`EncryptedCluster's denyEncryptionUpdates reports ${what} as a [denyEncryptionUpdates.roles] problem`, () => {
            const problems = validateClusterArgs(
                { cluster: {}, key: {}, denyEncryptionUpdates: { roles: [role as any] } },
                "cn-hangzhou",
            );
            assert.ok(problems.length > 0);
            for (const problem of problems) {
                assert.match(problem, /^\[denyEncryptionUpdates\.roles\] /);
            }
        });
    }

    it("still refuses ACK's service role, whatever its case", () => {
        assert.match(
            ackServiceRoleProblem(["aliyuncsmanagedsecurityrole"]) ?? "",
            /is ACK's service role/,
        );
    });
});
