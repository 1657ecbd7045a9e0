// Exports what test/engine/programs/stack-reference reads; the suite deploys it with `pulumi up`.
exports.keyId = "key-hzz65f2c9a1e0bxyz0001";
