// What every `ack-kms` subcommand shares on its command line: usage errors' exit code, and the
// endpoint flags checked as the clients will check them (cloud/endpoints.ts), at parse time.
import { CommanderError, InvalidArgumentError } from "commander";
import { parseEndpoint } from "../cloud/endpoints";

/** Commander's codes for help and version: they exit 0, every other usage error does not. */
export const informationalCodes: readonly string[] = [
    "commander.helpDisplayed",
    "commander.help",
    "commander.version",
];

/** An exitOverride that exits `usageCode` on a usage error; help and version stay 0. */
export function usageExit(usageCode: number): (error: CommanderError) => never {
    return (error) => {
        throw new CommanderError(
            informationalCodes.includes(error.code) ? 0 : usageCode,
            error.code,
            error.message,
        );
    };
}

/** An endpoint flag's value, refused at parse time for what the client would refuse later. */
export function endpointValue(value: string): string {
    try {
        parseEndpoint(value);
    } catch (error) {
        throw new InvalidArgumentError((error as Error).message.replace(/^\[endpoint\] /, ""));
    }
    return value;
}
