// The examples import the package by name ("ack-kms"). Tests run them against the source: mocha
// starts with --conditions=ack-kms-source (.mocharc.json), and this passes the same condition to
// every process a test starts (ack-kms plan's program host, example runs), so no test can see a
// stale lib/.
const condition = "--conditions=ack-kms-source";
const options = process.env.NODE_OPTIONS ?? "";
if (!options.split(/\s+/).includes(condition)) {
    process.env.NODE_OPTIONS = `${options} ${condition}`.trim();
}
