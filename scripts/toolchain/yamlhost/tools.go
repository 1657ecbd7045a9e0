//go:build tools

// Pulumi YAML's language host (`npm run toolchain` builds
// github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml from this module). It is a module of its
// own because pulumi-yaml v1.25.0, the newest release the Go module proxy serves, is written
// against pkg/v3 v3.206.0 and does not compile against the CLI's v3.276.0 (plugin.NewContextWithRoot
// and schema.NewPluginLoader changed); it speaks to the CLI over gRPC only, so its own pkg/v3 is
// enough.
package yamlhost

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
