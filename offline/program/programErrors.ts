// The program's errors in plan's words: the SDK's missing-config message points at plan's own
// --config flag, and an error's name is kept where the message alone would hide what it is.

export function errorMessage(err: unknown, stack?: string): string {
    const missing = err as { key?: unknown; constructor?: { name?: string } } | null;
    if (
        err instanceof Error &&
        missing?.constructor?.name === "ConfigMissingError" &&
        typeof missing.key === "string"
    ) {
        // The SDK's text says `pulumi config set`; offline, the value comes from --config.
        const key = missing.key;
        return `Missing required configuration variable '${key}': pass it with --config ${key}=<value>${stack ? ` or set it in Pulumi.${stack}.yaml` : ""}.`;
    }
    if (err instanceof Error) {
        // ResourceError and RunError carry the user's message; others show their name too.
        const name =
            err.name && err.name !== "Error" && !/ResourceError|RunError/.test(err.name)
                ? `${err.name}: `
                : "";
        return `${name}${err.message}`.trim();
    }
    return String(err);
}
