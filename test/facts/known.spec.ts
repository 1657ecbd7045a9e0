// The one way the shared layer says "not known yet", and the SDK constant it stands for.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "../../components/providers/inputChecks";
import { isKnown } from "../../components/validation";
import { unknownSentinel as engineSentinel } from "../../offline/engineValues";
import { asText, known, knownFromEngine, unknownSentinel } from "../../policy/verdicts/known";

describe("not known yet", () => {
    it("is the SDK's own marker of an unknown value (fails when the SDK changes it)", () => {
        assert.equal(unknownSentinel, pulumi.runtime.unknownValue);
    });

    it("is one constant and one test for the report, the providers and the components", () => {
        assert.equal(engineSentinel, unknownSentinel);
        assert.equal(unknownValue, unknownSentinel);
        assert.deepEqual(
            [isKnown(unknownSentinel), isKnown(pulumi.output("key-1")), isKnown("key-1")],
            [false, false, true],
        );
        assert.equal(isKnown(Promise.resolve("key-1")), false);
    });

    it("reads the engine's marker as unknown and anything else as known", () => {
        assert.deepEqual(knownFromEngine(unknownSentinel), { known: false });
        assert.deepEqual(knownFromEngine(undefined), { known: true, value: undefined });
        assert.deepEqual(asText(known(3)), { known: true, value: undefined });
        assert.deepEqual(asText(knownFromEngine(unknownSentinel)), { known: false });
    });
});
