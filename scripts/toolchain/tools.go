//go:build tools

// The Pulumi CLI is built from this module (`go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`),
// so go.mod pins it beside the SDK our language host uses.
package toolchain

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
