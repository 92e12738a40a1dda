package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// composeFile is the part of docker-compose.yml these checks read.
type composeFile struct {
	Services map[string]struct {
		Image      string                            `yaml:"image"`
		PullPolicy string                            `yaml:"pull_policy"`
		Build      *struct{ Args map[string]string } `yaml:"build"`
		Env        map[string]string                 `yaml:"environment"`
		EnvFile    []struct {
			Path     string `yaml:"path"`
			Required bool   `yaml:"required"`
		} `yaml:"env_file"`
		Volumes []string `yaml:"volumes"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// interpolate resolves ${NAME:-default} and ${NAME-default} to the default and ${NAME} to ""
// (no variable set: how `docker compose build` sees the file on a machine with no secrets).
var interpRe = regexp.MustCompile(`\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}`)

func interpolate(s string) string { return interpRe.ReplaceAllString(s, "$2") }

func loadCompose(t *testing.T) (string, composeFile) {
	t.Helper()
	b, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return string(b), f
}

// The compose file's design (issue 20): documents, the database and Redis in named volumes, so a
// recreated container keeps them; every image pulled through the registry-mirror variable; the
// build needs no secret (compose interpolates the whole file for every command, build included,
// so no ${VAR:?} may appear: secrets come from palmaid.env at start, required: false).
func TestComposeFile(t *testing.T) {
	raw, f := loadCompose(t)
	if m := regexp.MustCompile(`\$\{[A-Z0-9_]+:?\?`).FindAllString(raw, -1); len(m) > 0 {
		t.Errorf("required variables make `docker compose build` fail without secrets: %v", m)
	}
	mounts := func(svc, target string) string {
		for _, v := range f.Services[svc].Volumes {
			src, dst, _ := strings.Cut(strings.TrimSuffix(v, ":ro"), ":")
			if dst == target {
				return src
			}
		}
		return ""
	}
	app := f.Services["app"]
	dataDir := app.Env["PALMAID_DATA_DIR"]
	if dataDir == "" || app.Env["PALMAID_STORAGE_DRIVER"] == "s3" {
		t.Fatalf("app: PALMAID_DATA_DIR %q, storage driver %q: the design keeps documents in a volume at the data dir", dataDir, app.Env["PALMAID_STORAGE_DRIVER"])
	}
	for _, m := range []struct{ svc, target string }{{"app", dataDir}, {"mariadb", "/var/lib/mysql"}, {"redis", "/data"}} {
		src := mounts(m.svc, m.target)
		if _, named := f.Volumes[src]; src == "" || !named {
			t.Errorf("%s: %s is not a named volume (%q): it is lost when the container is recreated", m.svc, m.target, src)
		}
	}
	built := map[string]bool{}
	for name, s := range f.Services {
		if s.Build != nil {
			built[s.Image] = true
			for k := range s.Build.Args {
				if regexp.MustCompile(`SECRET|PASSWORD|_KEY$|DSN`).MatchString(k) {
					t.Errorf("%s: build argument %s looks like a secret", name, k)
				}
			}
			if p := interpolate(s.Build.Args["GOPROXY"]); !strings.HasPrefix(p, "https://goproxy.cn") {
				t.Errorf("%s: GOPROXY defaults to %q, not a proxy reachable from mainland China", name, p)
			}
			for _, a := range []string{"REGISTRY_MIRROR", "GCR_MIRROR"} {
				if s.Build.Args[a] == "" {
					t.Errorf("%s: build argument %s not passed to the Dockerfile", name, a)
				}
			}
		}
		for _, e := range s.EnvFile {
			if e.Required {
				t.Errorf("%s: env_file %s is required: building without it fails", name, e.Path)
			}
		}
	}
	for name, s := range f.Services {
		if built[s.Image] {
			continue
		}
		if !strings.HasPrefix(s.Image, "${REGISTRY_MIRROR:-docker.io}/") {
			t.Errorf("%s: image %q is not pulled through ${REGISTRY_MIRROR:-docker.io}/", name, s.Image)
		}
	}
	if len(app.EnvFile) == 0 || len(f.Services["migrate"].EnvFile) == 0 || len(f.Services["mariadb"].EnvFile) == 0 {
		t.Error("app, migrate and mariadb read palmaid.env")
	}
}

// The Dockerfile pulls its base images through the mirror arguments and makes the data
// directory the compose volume mounts, owned by the user palmaid runs as.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	d := string(b)
	stages := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^FROM\s+(\S+)(?:\s+AS\s+(\S+))?`).FindAllStringSubmatch(d, -1) {
		if !stages[m[1]] && !strings.HasPrefix(m[1], "${REGISTRY_MIRROR}/") && !strings.HasPrefix(m[1], "${GCR_MIRROR}/") {
			t.Errorf("FROM %s: not through ${REGISTRY_MIRROR} or ${GCR_MIRROR}", m[1])
		}
		stages[m[2]] = true
	}
	if regexp.MustCompile(`(?m)^#\s*syntax=`).MatchString(d) {
		t.Error("a # syntax= line pulls the Dockerfile frontend from Docker Hub, past the mirror")
	}
	for _, want := range []string{"ARG REGISTRY_MIRROR=docker.io", "ARG GCR_MIRROR=gcr.io", "ARG GOPROXY=https://goproxy.cn",
		"PALMAID_DATA_DIR=/var/lib/palmaid", "--chown=65532:65532 --chmod=0700 /out/data /var/lib/palmaid"} {
		if !strings.Contains(d, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	_, f := loadCompose(t)
	if f.Services["app"].Env["PALMAID_DATA_DIR"] != "/var/lib/palmaid" {
		t.Error("compose's PALMAID_DATA_DIR is not the directory the image prepares")
	}
}
