// Shared helpers for the components' argument checks: one message format everywhere,
// `[argument] value ...what is allowed`, and one way to tell plain values from Outputs.
import * as pulumi from "@pulumi/pulumi";

/** Renders a bad value the way messages quote it: strings in double quotes, the rest as JSON. */
export function quote(value: unknown): string {
    return value === undefined ? "undefined" : JSON.stringify(value);
}

/** Builds `[arg] <value> <rest>`, the shape of every validation message. */
export function invalid(arg: string, value: unknown, rest: string): string {
    return `[${arg}] ${quote(value)} ${rest}`;
}

/** Whether an Input is already a plain value, so it can be checked at construction. */
export function isPlain<T>(value: pulumi.Input<T> | undefined): value is T {
    return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * Runs `check` on the value of an Input: at once for plain values (throwing an Error), or inside
 * `apply` for Outputs and Promises (failing the deployment with a ResourceError on `resource`).
 * Returns the Input as an Output that carries the check, so dependents wait for it.
 */
export function checkInput<T>(
    value: pulumi.Input<T>,
    check: (plain: T) => string | undefined,
    resource: pulumi.Resource,
): pulumi.Output<T> {
    if (isPlain(value)) {
        const problem = check(value);
        if (problem) {
            throw new Error(problem);
        }
        return pulumi.output(value) as pulumi.Output<T>;
    }
    return pulumi.output(value).apply((plain) => {
        const problem = check(plain as T);
        if (problem) {
            throw new pulumi.ResourceError(problem, resource);
        }
        return plain as T;
    }) as pulumi.Output<T>;
}

/**
 * Runs a nested component's validation and names its arguments from the outer component's
 * view: `[rotationInterval]` becomes `[key.rotationInterval]`.
 */
export function withArgPrefix<T>(prefix: string, validate: () => T): T {
    try {
        return validate();
    } catch (e) {
        if (e instanceof Error) {
            const prefixed = e.message.replace(
                /^\[([^\]]+)\]/,
                (_all, names: string) =>
                    `[${names
                        .split(", ")
                        .map((n) => `${prefix}.${n}`)
                        .join(", ")}]`,
            );
            throw new Error(prefixed);
        }
        throw e;
    }
}
