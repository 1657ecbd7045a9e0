package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// runGo builds the Go program in its folder and runs it with the environment the official go host
// gives it (sdk/go/pulumi-language-go, constructEnv): the Go SDK reads everything from there.
func (h *host) runGo(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return &pulumirpc.RunResponse{Error: "the engine sent no program information"}, nil
	}
	dir := info.GetProgramDirectory()
	out, err := os.MkdirTemp("", "pulumi-go-program-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	binary := filepath.Join(out, "program")
	build := exec.CommandContext(ctx, "go", "build", "-o", binary, ".")
	build.Dir = dir
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("unable to build the Go program in %s: %v", dir, err)}, nil
	}

	configJSON, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := os.Environ()
	setIfSet := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	setIfSet(pulumi.EnvOrganization, req.GetOrganization())
	setIfSet(pulumi.EnvProject, req.GetProject())
	setIfSet(pulumi.EnvPulumiRootDirectory, info.GetRootDirectory())
	setIfSet(pulumi.EnvStack, req.GetStack())
	setIfSet(pulumi.EnvConfig, string(configJSON))
	setIfSet(pulumi.EnvConfigSecretKeys, string(secretKeysJSON))
	setIfSet(pulumi.EnvDryRun, strconv.FormatBool(req.GetDryRun()))
	setIfSet(pulumi.EnvParallel, strconv.Itoa(int(req.GetParallel())))
	setIfSet(pulumi.EnvMonitor, req.GetMonitorAddress())
	setIfSet(pulumi.EnvEngine, h.engineAddress)

	cmd := exec.CommandContext(ctx, binary, req.GetArgs()...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	return runProgram(cmd)
}
