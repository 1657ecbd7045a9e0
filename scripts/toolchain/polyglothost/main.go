// pulumi-language-python and pulumi-language-go for the toolchain that `npm run toolchain` builds.
//
// The Go module proxy refuses the official python and go language host modules (as it refuses the
// nodejs one, see ../languagehost), so this is our own host, built once per language with
// `-X main.language=python|go`. It does what the ack-kms proof needs and no more:
//   - python: Run starts the SDK's own pulumi-language-python-exec (shipped in sdk/v3/python/cmd,
//     copied beside this binary) with the interpreter of PULUMI_PYTHON_CMD, with the arguments
//     and environment the official host gives it (sdk/python/cmd/pulumi-language-python, Run);
//   - go: Run builds the program with `go build` and runs it with the environment the official
//     host sets (sdk/go/pulumi-language-go, constructEnv);
//   - python and go: GeneratePackage runs the CLI's own code generators (pkg/v3/codegen/python,
//     pkg/v3/codegen/go) the way the official hosts do, so `pulumi package gen-sdk` works.
//
// Dependencies are never installed by this host (the toolchain makes the virtualenv).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set at link time to the SDK release this host was built beside.
var version = "3.0.0"

// language is set at link time: python or go.
var language = "python"

func main() {
	flag.String("tracing", "", "ignored: tracing is not forwarded by this host")
	flag.String("root", "", "ignored: the engine also sends the root in each request")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	engineAddress := ""
	if flag.NArg() > 0 {
		engineAddress = flag.Arg(0)
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{engineAddress: engineAddress})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start the %s language host: %v\n", language, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host stopped: %v\n", err)
		os.Exit(1)
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// No packages are reported: the engine loads each provider when the program first uses it, from
// the project's `plugins` section or PATH, instead of downloading plugins ahead of the run.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) InstallDependencies(
	_ *pulumirpc.InstallDependenciesRequest, _ pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return nil
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	return &pulumirpc.AboutResponse{Executable: pythonCommand(), Version: version}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
