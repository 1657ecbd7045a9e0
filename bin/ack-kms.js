#!/usr/bin/env node
// The `ack-kms` command: runs the compiled CLI (`npm run build` writes lib/; `npm ci` runs it).
"use strict";
let cli;
try {
    cli = require("../lib/cli/index.js");
} catch (error) {
    if (
        error &&
        error.code === "MODULE_NOT_FOUND" &&
        String(error.message).includes("lib/cli/index.js")
    ) {
        console.error(
            "ack-kms: the compiled CLI is missing (lib/cli/index.js): run `npm run build` first.",
        );
        process.exit(2);
    }
    throw error;
}
cli.main();
