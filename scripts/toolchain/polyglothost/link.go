package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Link makes the SDKs `pulumi package add` generated part of the program, as the official hosts
// do for their default toolchains, without installing anything: python adds `-e <sdk>` to
// requirements.txt (install it with pip into the program's virtualenv), go adds a require and a
// replace to go.mod.
func (h *host) Link(_ context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	var instructions []string
	for _, dep := range req.GetPackages() {
		sdkPath := dep.GetPath()
		if !filepath.IsAbs(sdkPath) {
			sdkPath = filepath.Join(req.GetInfo().GetRootDirectory(), sdkPath)
		}
		rel, err := filepath.Rel(dir, sdkPath)
		if err != nil {
			return nil, err
		}
		switch language {
		case "python":
			if err := addRequirement(filepath.Join(dir, "requirements.txt"), "-e "+rel); err != nil {
				return nil, err
			}
			instructions = append(instructions, fmt.Sprintf(
				"added `-e %s` to requirements.txt: run `pip install -r requirements.txt` in the virtualenv", rel))
		case "go":
			module, err := modulePath(filepath.Join(sdkPath, "go.mod"))
			if err != nil {
				return nil, err
			}
			for _, args := range [][]string{
				{"mod", "edit", "-require=" + module + "@v0.0.0", "-replace=" + module + "=./" + rel},
			} {
				cmd := exec.Command("go", args...)
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					return nil, fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, out)
				}
			}
			instructions = append(instructions, fmt.Sprintf("import %q (go.mod replaces it with ./%s)", module, rel))
		}
	}
	return &pulumirpc.LinkResponse{ImportInstructions: strings.Join(instructions, "\n")}, nil
}

func addRequirement(file, line string) error {
	data, err := os.ReadFile(file)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	for _, existing := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(existing) == line {
			return nil
		}
	}
	text := string(data)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return os.WriteFile(file, []byte(text+line+"\n"), 0o644)
}

func modulePath(goMod string) (string, error) {
	data, err := os.ReadFile(goMod)
	if err != nil {
		return "", err
	}
	parsed, err := modfile.Parse(goMod, data, nil)
	if err != nil {
		return "", err
	}
	if parsed.Module == nil {
		return "", fmt.Errorf("%s has no module line", goMod)
	}
	return parsed.Module.Mod.Path, nil
}
