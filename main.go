// Command palmaid is the 掌上救助 backend: residents' mini-program API, staff review API and
// the notification worker in one binary. Its commands live in package cli (`palmaid help`).
package main

import (
	"os"

	"palmaid/cli"
)

var version = "dev" // set by -ldflags "-X main.version=…"

func main() {
	os.Exit(cli.Main(version, os.Args[1:], os.LookupEnv, os.Stdin, os.Stdout, os.Stderr))
}
