// Command compose-config loads a compose file the way `docker compose config` does — with
// compose-spec/compose-go, the loader docker compose itself uses — and prints the resolved
// project, or the loader's error and exit status 1. CI runs it on docker-compose.yml when the
// docker compose plugin is not installed (.ci/run), in the environment CI has: no secret set,
// which is how `docker compose build` must work. A module of its own, so palmaid's go.mod does
// not carry the compose loader.
//
//	go run . ../../docker-compose.yml
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-config FILE...")
		os.Exit(2)
	}
	opts, err := cli.NewProjectOptions(os.Args[1:], cli.WithOsEnv, cli.WithDotEnv, cli.WithName("palmaid"), cli.WithResolvedPaths(true))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, err := p.MarshalYAML()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(b)
}
