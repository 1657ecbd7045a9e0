// Shared helpers for the components' argument checks: one message format everywhere,
// `[argument] value ...what is allowed`, one formatter that renders any value safely (secrets as
// `[secret]`, Outputs as "an Output", long strings cut short), one way to say "not known yet"
// (isKnown), and one convention: validators return their problems as a list, all at once, and
// one helper throws them (throwProblems).
import * as pulumi from "@pulumi/pulumi";
import { knownFromEngine } from "../policy/verdicts/known";
import { redactTexts, secretText } from "./providers/redaction";

/** How a secret value appears in every message (the providers' redaction rule, shared). */
export { secretText };

/** Characters of a string a message quotes; longer strings are cut and their length given. */
const quotedMaxLength = 140;

/** Values being checked inside `apply` of a secret Output: the formatter renders them as `[secret]`. */
const secretValues: unknown[] = [];

function isSecretValue(value: unknown): boolean {
    return secretValues.some(
        (secret) => secret === value || (Number.isNaN(secret) && Number.isNaN(value)),
    );
}

/**
 * Renders any value the way messages quote it, without ever throwing: strings in double quotes
 * (cut after 140 characters), numbers, booleans and BigInts as written, `null`/`undefined`/`NaN` by
 * name, lists, objects, resources and functions described, an Output as "an Output" (never its
 * text, which is Pulumi's "Calling [toJSON]" warning), and a secret as `[secret]`.
 */
export function describeValue(value: unknown): string {
    if (isSecretValue(value)) {
        return secretText;
    }
    if (pulumi.Output.isInstance(value)) {
        return "an Output";
    }
    if (value instanceof Promise) {
        return "a Promise";
    }
    switch (typeof value) {
        case "undefined":
            return "undefined";
        case "string":
            return value.length <= quotedMaxLength
                ? JSON.stringify(value)
                : `${JSON.stringify(value.slice(0, quotedMaxLength))}... (${value.length} characters)`;
        case "number":
        case "boolean":
            return String(value);
        case "bigint":
            return `${value}n (a BigInt)`;
        case "symbol":
            return "a symbol";
        case "function":
            return "a function";
    }
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        // A short list of plain strings and numbers is shown as written; others are described.
        const simple = value.every(
            (item) =>
                !isSecretValue(item) &&
                ((typeof item === "string" && item.length <= 40) ||
                    (typeof item === "number" && Number.isFinite(item))),
        );
        const json = simple ? JSON.stringify(value) : "";
        return simple && json.length <= 80
            ? json
            : `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
    }
    if (pulumi.Resource.isInstance(value)) {
        return "a resource";
    }
    const keys = Object.keys(value as object);
    if (keys.length === 0) {
        return "{}";
    }
    const shown = keys.slice(0, 5).map((k) => describeKey(k));
    return `an object with ${shown.join(", ")}${keys.length > 5 ? ", ..." : ""}`;
}

function describeKey(key: string): string {
    return /^[A-Za-z_$][\w$]{0,40}$/.test(key) ? key : describeValue(key);
}

/** Builds `[arg] <value> <rest>`, the shape of every validation message. */
export function invalid(arg: string, value: unknown, rest: string): string {
    return `[${arg}] ${describeValue(value)} ${rest}`;
}

/**
 * The one test of "not known yet" in components/: false for an Output or a Promise (a component
 * at declaration time) and for the engine's marker of a value not known yet (what a dynamic
 * provider receives in preview, read through the shared layer's policy/verdicts/known.ts).
 * Checks skip what is not known yet; it is checked again once known.
 */
export function isKnown<T>(value: pulumi.Input<T>): value is T {
    return (
        !pulumi.Output.isInstance(value) &&
        !(value instanceof Promise) &&
        knownFromEngine(value).known
    );
}

/** For an argument that must be plain: the problem when it is an Output or a Promise. */
export function plainValueProblem(
    arg: string,
    value: unknown,
    allowed: string,
): string | undefined {
    if (isKnown(value)) {
        return undefined;
    }
    return `[${arg}] ${describeValue(value)} is not allowed: ${arg} must be a plain value, not an Output; use ${allowed}.`;
}

/**
 * Runs `check` with `values` rendered as `[secret]` by `describeValue`, and takes any text of them
 * the check wrote by other means out of the message too.
 */
export function redactingSecrets<R extends string | undefined>(
    values: readonly unknown[],
    check: () => R,
): R {
    const flat = values.flatMap((v) =>
        Array.isArray(v)
            ? [v, ...v]
            : typeof v === "object" && v !== null
              ? [v, ...Object.values(v)]
              : [v],
    );
    secretValues.push(...flat);
    let message: R;
    try {
        message = check();
    } finally {
        secretValues.splice(secretValues.length - flat.length, flat.length);
    }
    return redactText(message, flat);
}

/** Takes the text of the string `values` out of `message` (the shared rule, longest first). */
function redactText<R extends string | undefined>(message: R, values: readonly unknown[]): R {
    if (message === undefined) {
        return message;
    }
    const texts = values.filter((value): value is string => typeof value === "string");
    return redactTexts(texts, message) as R;
}

/**
 * Runs `check` on the value of an Input: at once for plain values (throwing an Error), or inside
 * `apply` for Outputs and Promises (failing the deployment with a ResourceError on `resource`;
 * when the Output is secret, the message shows its value as `[secret]`).
 * Returns the Input as an Output that carries the check, so dependents wait for it.
 */
export function checkInput<T>(
    value: pulumi.Input<T>,
    check: (plain: T) => string | undefined,
    resource: pulumi.Resource,
): pulumi.Output<T> {
    if (isKnown(value)) {
        const problem = check(value);
        if (problem) {
            throw new Error(problem);
        }
        return pulumi.output(value) as pulumi.Output<T>;
    }
    const output = pulumi.output(value);
    return output.apply(async (plain) => {
        const secret = await pulumi.isSecret(output);
        const problem = secret
            ? redactingSecrets([plain], () => check(plain as T))
            : check(plain as T);
        if (problem) {
            throw new pulumi.ResourceError(problem, resource);
        }
        return plain as T;
    }) as pulumi.Output<T>;
}

/**
 * Names a nested component's arguments from the outer component's view: `[a, b] ...` becomes
 * `[prefix.a, prefix.b] ...`, `[rotationInterval]` `[key.rotationInterval]`, `[args]` `[prefix]`.
 */
export function prefixArgs(prefix: string, message: string): string {
    return message.replace(
        /^\[([^\]]+)\]/,
        (_all, names: string) =>
            `[${names
                .split(", ")
                .map((n) => (n === "args" ? prefix : `${prefix}.${n}`))
                .join(", ")}]`,
    );
}

/** Edit distance between two names, for "did you mean". */
function distance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
    for (let i = 1; i <= x.length; i++) {
        const current = [i];
        for (let j = 1; j <= y.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[y.length];
}

/** The allowed name closest to `name`, when it is close enough to be a typo. */
export function closestName(name: string, allowed: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of allowed) {
        const d = distance(name, candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * The names of an args interface, kept beside it: `Record<keyof Args, true>` makes the compiler
 * refuse a list that misses or adds a name.
 */
export function argNames<Args>(names: Record<keyof Args, true>): readonly string[] {
    return Object.keys(names);
}

/** Whether `args` can be judged as an object of arguments at all. */
function isArgsObject(args: unknown): args is Record<string, unknown> {
    return (
        typeof args === "object" &&
        args !== null &&
        !Array.isArray(args) &&
        isKnown(args) &&
        !pulumi.Resource.isInstance(args)
    );
}

/**
 * The problems of `args` as an object of arguments: not an object at all, or, one each, the
 * names it has that are not `allowed` (JavaScript callers and typos in untyped code:
 * `denyEncryptionUpdate` for `denyEncryptionUpdates`). `what` names the args in the message, such
 * as `EncryptedCluster`.
 */
export function argsObjectProblems(
    what: string,
    args: unknown,
    allowed: readonly string[],
): string[] {
    if (!isArgsObject(args)) {
        return [invalid("args", args, `is not valid: ${what} takes an object of arguments.`)];
    }
    return Object.keys(args)
        .filter((key) => !allowed.includes(key))
        .map((name) => {
            const suggestion = closestName(name, allowed);
            return (
                `[${describeKey(name)}] is not an argument of ${what}: ` +
                (suggestion ? `did you mean ${suggestion}? ` : "") +
                `use ${allowed.join(", ")}.`
            );
        });
}

/**
 * The shape of every validator of a whole args object: its problems as an object of arguments
 * (argsObjectProblems) and, when it is one, what `checks` finds in it; all at once, so one run
 * shows every mistake. `checks` lists one entry per check, `undefined` where it passed.
 */
export function argsProblems<Args>(
    what: string,
    args: unknown,
    allowed: readonly string[],
    checks: (args: Args) => ReadonlyArray<string | undefined>,
): string[] {
    const shape = argsObjectProblems(what, args, allowed);
    if (!isArgsObject(args)) {
        return shape;
    }
    return [...shape, ...problemList(checks(args as Args))];
}

/** The problems among the results of several checks (`undefined` is a check that passed). */
export function problemList(results: ReadonlyArray<string | undefined>): string[] {
    return results.filter((p): p is string => p !== undefined);
}

/**
 * The one way validation fails: validators return their problems as a list, all at once, and
 * this throws them together in one message (nothing when there are none). A component calls it
 * once, before registering anything, so the error points at the caller's line.
 */
export function throwProblems(problems: ReadonlyArray<string | undefined>): void {
    const found = problemList(problems);
    if (found.length > 0) {
        throw new Error(found.join(" "));
    }
}

/**
 * An argument that takes an object of arguments (a child component's args, a cluster's): unset,
 * or a plain object; `what` says what it takes, e.g. "SecretsEncryptionKey args (an object)".
 */
export function objectArgProblem(arg: string, value: unknown, what: string): string | undefined {
    if (value === undefined || isArgsObject(value)) {
        return undefined;
    }
    return plainValueProblem(arg, value, what) ?? invalid(arg, value, `is not valid: use ${what}.`);
}

/** A plain boolean, or unset. */
export function booleanProblem(arg: string, value: unknown): string | undefined {
    if (value === undefined || typeof value === "boolean") {
        return undefined;
    }
    return (
        plainValueProblem(arg, value, "true or false") ??
        invalid(arg, value, "is not valid: use true or false.")
    );
}

/**
 * A text such as a description: unset, or a string with something in it, at most `max`
 * characters. `omitHint` says what leaving it out does.
 */
export function textProblem(
    arg: string,
    value: unknown,
    max: number,
    omitHint: string,
): string | undefined {
    if (value === undefined || !isKnown(value)) {
        return undefined;
    }
    if (typeof value !== "string") {
        return invalid(arg, value, `is not valid: use a string of 1 to ${max} characters.`);
    }
    if (value.trim() === "") {
        return invalid(
            arg,
            value,
            `is empty: ${omitHint}, or give a string of 1 to ${max} characters.`,
        );
    }
    if (value.length > max) {
        return invalid(arg, value, `is too long: use at most ${max} characters.`);
    }
    return undefined;
}

/**
 * The names among `names` whose arg is a secret Output: a dynamic provider host receives every
 * value in plain text, so a resource passes these (as `secretInputs`) for its log and errors to
 * know what to hide. Undefined (no input at all) when none is.
 */
export function secretArgNames<N extends string>(
    args: Partial<Record<N, unknown>>,
    names: readonly N[],
): pulumi.Output<N[] | undefined> {
    const found = Promise.all(
        names.map(async (name) => {
            const value = args[name];
            return pulumi.Output.isInstance(value) &&
                (await pulumi.isSecret(value as pulumi.Output<unknown>))
                ? name
                : undefined;
        }),
    ).then((all) => {
        const secret = all.filter((name) => name !== undefined) as N[];
        return secret.length > 0 ? secret : undefined;
    });
    return pulumi.output(found) as pulumi.Output<N[] | undefined>;
}

/**
 * `value`, made secret when `secret` resolves true: what a component does to outputs a dynamic
 * resource derives from a secret input (a key's id and ARN as KMS reports them), which the engine
 * does not mark secret by itself.
 */
export function secretWhen<T>(
    secret: pulumi.Output<boolean>,
    value: pulumi.Output<T>,
): pulumi.Output<T> {
    return secret.apply((isSecret) =>
        isSecret ? pulumi.secret(value) : value,
    ) as unknown as pulumi.Output<T>;
}
