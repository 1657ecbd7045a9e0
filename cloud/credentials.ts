// Alibaba Cloud credentials, read from the environment when a call is made and never from resource
// inputs, so no secret is ever written to a Pulumi state file.

export interface CloudCredentials {
    accessKeyId: string;
    accessKeySecret: string;
    /** Set for STS credentials. */
    securityToken?: string;
}

/** The variable families that are read, in order: the Alibaba Cloud CLI/SDK names, then the provider's. */
export const credentialVariables = [
    {
        accessKeyId: "ALIBABA_CLOUD_ACCESS_KEY_ID",
        accessKeySecret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        securityToken: "ALIBABA_CLOUD_SECURITY_TOKEN",
    },
    {
        accessKeyId: "ALICLOUD_ACCESS_KEY",
        accessKeySecret: "ALICLOUD_SECRET_KEY",
        securityToken: "ALICLOUD_SECURITY_TOKEN",
    },
] as const;

export class MissingCredentialsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MissingCredentialsError";
    }
}

function nonEmpty(value: string | undefined): string | undefined {
    return value !== undefined && value.trim() !== "" ? value : undefined;
}

/**
 * The credentials in `env`: the first family whose access key id is set must also have its secret.
 * Throws MissingCredentialsError naming the variables when none (or half a pair) is set.
 */
export function credentialsFromEnvironment(
    env: Record<string, string | undefined> = process.env,
): CloudCredentials {
    for (const names of credentialVariables) {
        const accessKeyId = nonEmpty(env[names.accessKeyId]);
        if (!accessKeyId) {
            continue;
        }
        const accessKeySecret = nonEmpty(env[names.accessKeySecret]);
        if (!accessKeySecret) {
            throw new MissingCredentialsError(
                `${names.accessKeyId} is set but ${names.accessKeySecret} is not: set both (and ${names.securityToken} for STS credentials).`,
            );
        }
        const securityToken = nonEmpty(env[names.securityToken]);
        return securityToken
            ? { accessKeyId, accessKeySecret, securityToken }
            : { accessKeyId, accessKeySecret };
    }
    const [primary, provider] = credentialVariables;
    throw new MissingCredentialsError(
        `No Alibaba Cloud credentials in the environment: set ${primary.accessKeyId} and ${primary.accessKeySecret} ` +
            `(or ${provider.accessKeyId} and ${provider.accessKeySecret}), plus ${primary.securityToken} ` +
            `(or ${provider.securityToken}) for STS credentials.`,
    );
}
