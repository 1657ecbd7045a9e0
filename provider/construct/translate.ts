// From the multi-language shapes (provider/shapes/index.ts, what schema.json describes) to the
// TypeScript args of components/. Only what the shapes spell differently is translated here: an
// explicit field instead of `false`, an object instead of `true`. Everything else passes through
// unchanged, so each component's own validation judges it and words the error.
import type { EncryptedClusterArgs, SecretsEncryptionKeyArgs } from "../../components";
import { booleanProblem, invalid, throwProblems } from "../../components/validation";

type Inputs = Record<string, unknown>;

function isObject(value: unknown): value is Inputs {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Drops the keys a foreign SDK sent as null or left out, as a TypeScript caller would omit them. */
function present(inputs: Inputs): Inputs {
    return Object.fromEntries(
        Object.entries(inputs).filter(([, value]) => value !== undefined && value !== null),
    );
}

/** `disableAutomaticRotation: true` is the TypeScript `rotationInterval: false`. */
export function keyArgs(prefix: string, key: unknown): SecretsEncryptionKeyArgs | unknown {
    if (!isObject(key)) return key;
    const { disableAutomaticRotation, ...rest } = present(key);
    throwProblems([booleanProblem(`${prefix}disableAutomaticRotation`, disableAutomaticRotation)]);
    if (disableAutomaticRotation !== true) return rest;
    if (rest.rotationInterval !== undefined) {
        throw new Error(
            invalid(
                `${prefix}rotationInterval`,
                rest.rotationInterval,
                `is not allowed with ${prefix}disableAutomaticRotation: set one of them.`,
            ),
        );
    }
    return { ...rest, rotationInterval: false };
}

/** `securityRole.mode: "unmanaged"` is the TypeScript `securityRole: false`. */
function securityRoleArgs(role: unknown): unknown {
    if (!isObject(role)) return role;
    const args = present(role);
    if (args.mode !== "unmanaged") return args;
    if (args.description !== undefined) {
        throw new Error(
            invalid(
                "securityRole.description",
                args.description,
                'is not allowed with securityRole.mode "unmanaged": no role is created.',
            ),
        );
    }
    return false;
}

/** Any `reencryptOnRotation` object turns re-encryption on; `{}` is the TypeScript `true`. */
function reencryptOnRotationArgs(options: unknown): unknown {
    if (!isObject(options)) return options;
    const args = present(options);
    return Object.keys(args).length === 0 ? true : args;
}

/** EncryptedCluster's TypeScript args from its schema inputs. */
export function encryptedClusterArgs(inputs: Inputs): EncryptedClusterArgs {
    const args = present(inputs);
    for (const name of ["cluster", "serverless", "denyEncryptionUpdates"]) {
        if (isObject(args[name])) args[name] = present(args[name] as Inputs);
    }
    if (args.key !== undefined) args.key = keyArgs("key.", args.key);
    if (args.securityRole !== undefined) args.securityRole = securityRoleArgs(args.securityRole);
    if (args.reencryptOnRotation !== undefined) {
        args.reencryptOnRotation = reencryptOnRotationArgs(args.reencryptOnRotation);
    }
    return args as EncryptedClusterArgs;
}

/** The other components' args: the shapes match the TypeScript ones but for null fields. */
export function plainArgs<Args>(inputs: Inputs): Args {
    return present(inputs) as Args;
}
