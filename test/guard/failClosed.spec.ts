// "Fail closed": KeyDeletionGuard never removes deletion protection it did not add, nor while
// another guard, stack or cluster still relies on it. One spec per attack of the issue, each run
// through the real provider path against the KMS emulator (signed HTTP), asserting the calls KMS
// received and the protection it holds at the end. Every guard here opts in to
// releaseProtectionOnDelete, so what keeps protection on is the rule, not the default.

import * as assert from "assert";
import { callKms, createKmsClient, KmsClient } from "../../cloud/kms";
import {
    addHolder,
    formatHolders,
    holderEntry,
    maxProtectionDescriptionLength,
    parseHolders,
    removeHolder,
} from "../../components/keyDeletionGuard/holders";
import {
    guardDescription,
    reasonsToKeepProtection,
} from "../../components/keyDeletionGuard/operations";
import { KeyDeletionGuardOutputs } from "../../components/keyDeletionGuard/inputs";
import { KmsEmulator, startKmsEmulator } from "../support/kmsEmulator";
import { guardInputs, guardProvider, testAccessKey, useCredentialEnvironment } from "./harness";

describe("KeyDeletionGuard fails closed", () => {
    let emulator: KmsEmulator;
    let someoneElse: KmsClient;
    let restoreEnvironment: () => void;
    const provider = guardProvider();

    before(async () => {
        emulator = await startKmsEmulator({ accessKeys: [testAccessKey] });
        someoneElse = createKmsClient({
            regionId: emulator.regionId,
            endpoint: emulator.endpoint,
            credentials: testAccessKey,
            retry: { maxAttempts: 1 },
        });
    });
    after(async () => {
        await emulator.stop();
    });
    beforeEach(() => {
        restoreEnvironment = useCredentialEnvironment({
            ALIBABA_CLOUD_ACCESS_KEY_ID: testAccessKey.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: testAccessKey.accessKeySecret,
        });
        emulator.clearFaults();
        emulator.resetCalls();
    });
    afterEach(() => restoreEnvironment());

    const optedIn = (keyId: string, boundTo: string) =>
        guardInputs(emulator, keyId, { boundTo, releaseProtectionOnDelete: true });

    /** The actions KMS received since the last reset, with the protection each write asked for. */
    function actions(): string[] {
        return emulator.calls.map((call) =>
            call.action === "SetDeletionProtection"
                ? `SetDeletionProtection(${call.parameters.EnableDeletionProtection})`
                : call.action,
        );
    }

    describe("attack 1: two guards on one key, one of them deleted", () => {
        it("keeps protection when the guard that turned it on is deleted while a second stack's guard holds the key", async () => {
            const keyId = emulator.seedKey();
            const first = await provider.create(optedIn(keyId, "ACK cluster prod"));
            const second = await provider.create(optedIn(keyId, "ACK cluster prod (stack dr)"));
            assert.strictEqual(first.outs.protectionWasAlreadyOn, false);
            assert.strictEqual(second.outs.protectionWasAlreadyOn, true);
            assert.strictEqual(second.outs.holderRecorded, true);
            assert.deepStrictEqual(
                parseHolders(emulator.key(keyId).deletionProtectionDescription)?.tokens,
                [first.outs.holderToken, second.outs.holderToken],
            );
            emulator.resetCalls();

            await provider.delete(first.id, first.outs);

            assert.deepStrictEqual(actions(), ["DescribeKey", "SetDeletionProtection(true)"]);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            assert.strictEqual(
                emulator.key(keyId).deletionProtectionDescription,
                formatHolders([
                    holderEntry(second.outs.holderToken!, "ACK cluster prod (stack dr)"),
                ]),
            );

            // The last holder did not turn protection on: it leaves it on, and its entry.
            emulator.resetCalls();
            await provider.delete(second.id, second.outs);
            assert.deepStrictEqual(actions(), ["DescribeKey"]);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("keeps protection when a standalone guard is deleted while an EncryptedCluster's guard holds the key", async () => {
            const keyId = emulator.seedKey();
            // EncryptedCluster({ keyId }) creates its guard with boundTo "ACK cluster <name>".
            const clusterGuard = await provider.create(
                guardInputs(emulator, keyId, { boundTo: "ACK cluster prod" }),
            );
            const standalone = await provider.create(optedIn(keyId, "prod, guarded by hand"));
            emulator.resetCalls();

            await provider.delete(standalone.id, standalone.outs);

            assert.deepStrictEqual(actions(), ["DescribeKey", "SetDeletionProtection(true)"]);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            assert.deepStrictEqual(
                parseHolders(emulator.key(keyId).deletionProtectionDescription)?.tokens,
                [clusterGuard.outs.holderToken],
            );
        });

        it("turns protection off only once the last holder, the guard that turned it on, is deleted", async () => {
            const keyId = emulator.seedKey();
            const first = await provider.create(optedIn(keyId, "prod"));
            const second = await provider.create(optedIn(keyId, "dr"));
            await provider.delete(second.id, second.outs);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            emulator.resetCalls();

            await provider.delete(first.id, first.outs);

            assert.deepStrictEqual(actions(), ["DescribeKey", "SetDeletionProtection(false)"]);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Disabled");
        });

        it("lists both guards when two stacks create theirs at the same moment", async () => {
            const keyId = emulator.seedKey();
            const [one, two] = await Promise.all([
                provider.create(optedIn(keyId, "prod")),
                provider.create(optedIn(keyId, "dr")),
            ]);

            const tokens = parseHolders(emulator.key(keyId).deletionProtectionDescription)?.tokens;
            assert.deepStrictEqual(
                [...(tokens ?? [])].sort(),
                [one.outs.holderToken, two.outs.holderToken].sort(),
            );
            // Both read the key unprotected, so both count as having turned protection on; the
            // first deleted still sees the other listed, and only the last one releases the key.
            assert.deepStrictEqual(
                [one.outs.protectionWasAlreadyOn, two.outs.protectionWasAlreadyOn],
                [false, false],
            );
            await provider.delete(one.id, one.outs);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            await provider.delete(two.id, two.outs);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Disabled");
        });

        it("adds itself again when another stack's write replaced its entry between its write and its read-back", async () => {
            const keyId = emulator.seedKey();
            const other = holderEntry("0123456789ab", "ACK cluster dr");
            // The other stack read the key unprotected too, and writes its one-entry list after ours.
            emulator.afterAction("SetDeletionProtection", () => {
                emulator.key(keyId).deletionProtectionDescription = formatHolders([other]);
            });

            const guard = await provider.create(optedIn(keyId, "prod"));

            assert.deepStrictEqual(actions(), [
                "DescribeKey",
                "SetDeletionProtection(true)",
                "DescribeKey",
                "SetDeletionProtection(true)",
                "DescribeKey",
            ]);
            assert.deepStrictEqual(
                parseHolders(emulator.key(keyId).deletionProtectionDescription)?.tokens,
                ["0123456789ab", guard.outs.holderToken],
            );
            await provider.delete(guard.id, guard.outs);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("fails, leaving protection on, when the description changes after each of three writes", async () => {
            const keyId = emulator.seedKey();
            let n = 0;
            emulator.afterAction(
                "SetDeletionProtection",
                () => {
                    n += 1;
                    emulator.key(keyId).deletionProtectionDescription = formatHolders([
                        holderEntry(`${n}`.repeat(12), `stack ${n}`),
                    ]);
                },
                3,
            );

            await assert.rejects(provider.create(optedIn(keyId, "prod")), {
                message: `[keyId] "${keyId}" in cn-hangzhou: its deletion-protection description changed each time this guard wrote it (another stack writing at the same moment?): run the update again.`,
            });
            assert.strictEqual(emulator.callCount("SetDeletionProtection"), 3);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("keeps protection forever once the holder list had no room for a guard", async () => {
            const keyId = emulator.seedKey();
            const long = (n: number) => `ACK cluster number ${n} with a rather long name`;
            const guards = [];
            for (let n = 1; n <= 3; n++) {
                guards.push(await provider.create(optedIn(keyId, long(n))));
            }
            const description = emulator.key(keyId).deletionProtectionDescription!;
            assert.ok(description.length <= maxProtectionDescriptionLength);
            assert.deepStrictEqual(
                guards.map((guard) => guard.outs.holderRecorded),
                [true, true, false],
            );
            assert.strictEqual(parseHolders(description)?.overflow, true);

            for (const guard of [...guards].reverse()) {
                await provider.delete(guard.id, guard.outs);
            }

            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            assert.match(emulator.key(keyId).deletionProtectionDescription!, /for: \(more\)\./);
            assert.strictEqual(
                emulator.calls.filter(
                    (call) => call.parameters.EnableDeletionProtection === "false",
                ).length,
                0,
            );
        });
    });

    describe("attack 2: a state without protectionWasAlreadyOn (import, older state)", () => {
        it("keeps protection when deleting a guard whose state an older ack-kms wrote", async () => {
            const keyId = emulator.seedKey({
                deletionProtection: "Enabled",
                deletionProtectionDescription: guardDescription("prod"),
            });
            // What ack-kms 0.1 stored: no holder token, and here not even protectionWasAlreadyOn.
            const olderState = {
                ...optedIn(keyId, "prod"),
                kmsKeyId: keyId,
                keyArn: emulator.arnOf(keyId),
                protectionDescription: guardDescription("prod"),
            } as KeyDeletionGuardOutputs;

            await provider.delete(emulator.arnOf(keyId), olderState);
            await provider.delete(emulator.arnOf(keyId), {
                ...olderState,
                protectionWasAlreadyOn: false,
            });

            assert.deepStrictEqual(actions(), []);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            assert.deepStrictEqual(reasonsToKeepProtection(olderState), [
                "the state does not say this guard turned protection on",
                "the state holds no holder token (an older ack-kms or an import)",
            ]);
        });

        it("keeps protection when deleting an imported guard, even after an update recorded it as a holder", async () => {
            const keyId = emulator.seedKey();
            const owner = await provider.create(guardInputs(emulator, keyId, { boundTo: "prod" }));
            const inputs = optedIn(keyId, "prod (imported)");
            emulator.resetCalls();

            // pulumi import: read gets the id and the program's inputs, no state.
            const imported = await provider.read(emulator.arnOf(keyId), inputs);
            assert.deepStrictEqual(actions(), ["DescribeKey"]);
            const importedState = imported.props as KeyDeletionGuardOutputs;
            assert.strictEqual(importedState.protectionWasAlreadyOn, true);
            assert.strictEqual(importedState.holderToken, undefined);
            assert.strictEqual(importedState.holderRecorded, false);

            // The next update gives it a token and lists it, so the owner cannot release the key.
            const diff = await provider.diff(imported.id!, importedState, inputs);
            assert.strictEqual(diff.changes, true);
            const updated = await provider.update(imported.id!, importedState, inputs);
            const state = updated.outs as KeyDeletionGuardOutputs;
            assert.strictEqual(state.protectionWasAlreadyOn, true);
            assert.strictEqual(state.holderRecorded, true);

            await provider.delete(owner.id, { ...owner.outs, releaseProtectionOnDelete: true });
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            emulator.resetCalls();
            await provider.delete(imported.id!, state);

            assert.deepStrictEqual(actions(), ["DescribeKey"]);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("imports by the key's ARN alone, taking the region from it", async () => {
            const keyId = emulator.seedKey({ deletionProtection: "Enabled" });
            const imported = await provider.read(emulator.arnOf(keyId), {
                endpoint: emulator.endpoint,
            } as never);
            assert.strictEqual(imported.id, emulator.arnOf(keyId));
            assert.strictEqual(imported.props?.regionId, emulator.regionId);
            assert.strictEqual(imported.props?.kmsKeyId, keyId);
            assert.strictEqual(imported.props?.protectionWasAlreadyOn, true);
            assert.strictEqual(imported.props?.deletionProtection, "Enabled");
        });

        it("refuses to import a bare key id without a region, naming the argument", async () => {
            await assert.rejects(provider.read("key-1", {} as never), {
                message:
                    '[regionId] is not known for "key-1": import the guard by the key\'s ARN (acs:kms:<region>:<account>:key/<key id>), or give regionId.',
            });
        });
    });

    describe("attack 3: protection re-set by someone after the guard was created", () => {
        it("keeps protection, and the words of whoever re-set it, when the guard that turned it on is deleted", async () => {
            const keyId = emulator.seedKey();
            const guard = await provider.create(optedIn(keyId, "prod"));
            await callKms(someoneElse, "SetDeletionProtection", {
                ProtectedResourceArn: emulator.arnOf(keyId),
                EnableDeletionProtection: "true",
                DeletionProtectionDescription: "Legal hold: do not delete (security team)",
            });
            emulator.resetCalls();

            // Refresh shows it: this guard is no longer listed.
            const refreshed = await provider.read(guard.id, guard.outs);
            assert.strictEqual(refreshed.props?.holderRecorded, false);
            assert.strictEqual(
                refreshed.props?.protectionDescription,
                "Legal hold: do not delete (security team)",
            );
            assert.strictEqual(refreshed.props?.protectionWasAlreadyOn, false);

            await provider.delete(guard.id, guard.outs);

            assert.deepStrictEqual(actions(), ["DescribeKey", "DescribeKey"]);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
            assert.strictEqual(
                emulator.key(keyId).deletionProtectionDescription,
                "Legal hold: do not delete (security team)",
            );
        });

        it("turns protection back on at the next update after someone turned it off and refresh saw it", async () => {
            const keyId = emulator.seedKey();
            const inputs = optedIn(keyId, "prod");
            const guard = await provider.create(inputs);
            await callKms(someoneElse, "SetDeletionProtection", {
                ProtectedResourceArn: emulator.arnOf(keyId),
                EnableDeletionProtection: "false",
            });

            const refreshed = await provider.read(guard.id, guard.outs);
            const state = refreshed.props as KeyDeletionGuardOutputs;
            assert.strictEqual(state.deletionProtection, "Disabled");
            assert.strictEqual((await provider.diff(guard.id, state, inputs)).changes, true);
            emulator.resetCalls();
            await provider.update(guard.id, state, inputs);

            assert.deepStrictEqual(actions(), [
                "DescribeKey",
                "SetDeletionProtection(true)",
                "DescribeKey",
            ]);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Enabled");
        });

        it("drops the guard at refresh when the key is gone", async () => {
            const keyId = emulator.seedKey();
            const guard = await provider.create(optedIn(keyId, "prod"));
            const gone = await provider.read(guard.id, {
                ...guard.outs,
                keyArn: emulator.arnOf("key-gone"),
            });
            assert.deepStrictEqual(gone, { id: "" });
        });
    });

    describe("attack 4: a keyId change, which used to replace the guard", () => {
        it("keeps the old key protected, since it still holds Secrets not yet rewritten, when the guard moves to a new key", async () => {
            const oldKey = emulator.seedKey();
            const newKey = emulator.seedKey();
            const guard = await provider.create(optedIn(oldKey, "prod"));
            const oldDescription = emulator.key(oldKey).deletionProtectionDescription;
            const moved = optedIn(newKey, "prod");

            const diff = await provider.diff(guard.id, guard.outs, moved);
            assert.deepStrictEqual(diff, {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            emulator.resetCalls();
            const updated = await provider.update(guard.id, guard.outs, moved);
            const state = updated.outs as KeyDeletionGuardOutputs;

            assert.deepStrictEqual(actions(), [
                "DescribeKey",
                "SetDeletionProtection(true)",
                "DescribeKey",
            ]);
            assert.ok(
                emulator.calls.every(
                    (call) =>
                        (call.parameters.KeyId ?? call.parameters.ProtectedResourceArn) !==
                            oldKey &&
                        call.parameters.ProtectedResourceArn !== emulator.arnOf(oldKey),
                ),
                "the old key was touched",
            );
            assert.strictEqual(state.kmsKeyId, newKey);
            assert.strictEqual(state.protectionWasAlreadyOn, false);
            assert.strictEqual(emulator.key(newKey).deletionProtection, "Enabled");
            assert.strictEqual(emulator.key(oldKey).deletionProtection, "Enabled");
            assert.strictEqual(emulator.key(oldKey).deletionProtectionDescription, oldDescription);

            // Deleting the moved guard may release the new key (it turned that on, alone), never the old.
            await provider.delete(guard.id, state);
            assert.strictEqual(emulator.key(newKey).deletionProtection, "Disabled");
            assert.strictEqual(emulator.key(oldKey).deletionProtection, "Enabled");
        });

        it("checks the new key before moving, leaving both keys as they were when it is unfit", async () => {
            const oldKey = emulator.seedKey();
            const newKey = emulator.seedKey({ keyState: "Disabled" });
            const guard = await provider.create(optedIn(oldKey, "prod"));
            emulator.resetCalls();

            await assert.rejects(provider.update(guard.id, guard.outs, optedIn(newKey, "prod")), {
                message: `[keyId] "${newKey}" in cn-hangzhou cannot encrypt Kubernetes Secrets: its state is "Disabled": it must be "Enabled".`,
            });
            assert.deepStrictEqual(actions(), ["DescribeKey"]);
            assert.strictEqual(emulator.key(oldKey).deletionProtection, "Enabled");
            assert.strictEqual(emulator.key(newKey).deletionProtection, "Disabled");
        });
    });

    describe("the opt-in", () => {
        it("refuses a releaseProtectionOnDelete that is not a boolean, naming the argument", async () => {
            const result = await provider.check(
                {},
                guardInputs(emulator, "key-1", {
                    releaseProtectionOnDelete: "yes" as unknown as boolean,
                }),
            );
            assert.deepStrictEqual(result.failures, [
                {
                    property: "releaseProtectionOnDelete",
                    reason: '[releaseProtectionOnDelete] "yes" is not a boolean: use true or false (a plain value).',
                },
            ]);
        });

        it("is read from the state at delete, so turning it on takes an update first", async () => {
            const keyId = emulator.seedKey();
            const inputs = guardInputs(emulator, keyId);
            const guard = await provider.create(inputs);
            const optIn = { ...inputs, releaseProtectionOnDelete: true };
            const diff = await provider.diff(guard.id, guard.outs, optIn);
            assert.strictEqual(diff.changes, true);
            emulator.resetCalls();
            const updated = await provider.update(guard.id, guard.outs, optIn);
            assert.deepStrictEqual(actions(), []);

            await provider.delete(guard.id, updated.outs as KeyDeletionGuardOutputs);
            assert.strictEqual(emulator.key(keyId).deletionProtection, "Disabled");
        });
    });
});

describe("KeyDeletionGuard holder list", () => {
    const a = holderEntry("aaaaaaaaaaaa", "prod");
    const b = holderEntry("bbbbbbbbbbbb", "dr");

    it("round-trips entries and tells its own words from anyone else's", () => {
        const description = formatHolders([a, b]);
        assert.strictEqual(
            description,
            "Protected by ack-kms KeyDeletionGuard for: prod [aaaaaaaaaaaa]; dr [bbbbbbbbbbbb]. Deleting or disabling this key breaks their Kubernetes Secrets.",
        );
        assert.deepStrictEqual(parseHolders(description), {
            entries: [a, b],
            tokens: ["aaaaaaaaaaaa", "bbbbbbbbbbbb"],
            overflow: false,
        });
        for (const foreign of [
            undefined,
            "",
            "Set by the security team",
            guardDescription("prod"),
            description.replace("[bbbbbbbbbbbb]", "[not-a-token]"),
            formatHolders([]),
        ]) {
            assert.strictEqual(parseHolders(foreign), undefined, String(foreign));
        }
    });

    it("neutralises brackets and separators in boundTo, so a name cannot forge or hide a holder", () => {
        const forged = holderEntry("cccccccccccc", "x [aaaaaaaaaaaa]; y");
        assert.strictEqual(forged, "x (aaaaaaaaaaaa), y [cccccccccccc]");
        assert.deepStrictEqual(parseHolders(formatHolders([forged]))?.tokens, ["cccccccccccc"]);
        assert.strictEqual(
            holderEntry("cccccccccccc", "n".repeat(128)),
            `${"n".repeat(37)}... [cccccccccccc]`,
        );
    });

    it("adds, renames and removes only the entry of the given token", () => {
        assert.deepStrictEqual(addHolder({ protectionOn: false }, "aaaaaaaaaaaa", a), {
            kind: "recorded",
            description: formatHolders([a]),
        });
        assert.deepStrictEqual(
            addHolder({ protectionOn: true, description: formatHolders([a]) }, "bbbbbbbbbbbb", b),
            { kind: "recorded", description: formatHolders([a, b]) },
        );
        const renamed = holderEntry("aaaaaaaaaaaa", "prod-blue");
        assert.deepStrictEqual(
            addHolder(
                { protectionOn: true, description: formatHolders([a, b]) },
                "aaaaaaaaaaaa",
                renamed,
            ),
            { kind: "recorded", description: formatHolders([renamed, b]) },
        );
        assert.deepStrictEqual(
            addHolder({ protectionOn: true, description: "theirs" }, "aaaaaaaaaaaa", a),
            { kind: "foreign" },
        );
        assert.strictEqual(removeHolder(formatHolders([a, b]), "aaaaaaaaaaaa"), formatHolders([b]));
        assert.strictEqual(removeHolder(formatHolders([a]), "aaaaaaaaaaaa"), undefined);
        assert.strictEqual(removeHolder(formatHolders([b]), "aaaaaaaaaaaa"), undefined);
        assert.strictEqual(
            removeHolder(formatHolders([a], true), "aaaaaaaaaaaa"),
            formatHolders([], true),
        );
    });
});
