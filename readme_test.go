package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every sh block of the README either runs in CI (docs/walkthrough/readme.sh pastes the blocks
// marked <!-- run --> into one shell against the started server) or says why it cannot, on the
// line before its fence.
func TestReadmeBlocksAreMarked(t *testing.T) {
	lines := strings.Split(readFile(t, "README.md"), "\n")
	runRe := regexp.MustCompile(`^<!-- run(: errors( [a-z_]+\.[a-z_.]+)+)? -->$`)
	notRunRe := regexp.MustCompile(`^<!-- not run: \S.{10,} -->$`)
	ran, blocks := 0, 0
	for i, l := range lines {
		if !strings.HasPrefix(l, "```") || l == "```" {
			continue
		}
		lang := strings.TrimPrefix(l, "```")
		if lang == "bash" || lang == "shell" || lang == "console" {
			t.Errorf("README.md:%d: a %s block: write it as sh so that readme.sh runs it (or marks it)", i+1, lang)
		}
		if lang != "sh" {
			continue
		}
		blocks++
		prev := ""
		if i > 0 {
			prev = lines[i-1]
		}
		switch {
		case runRe.MatchString(prev):
			ran++
		case notRunRe.MatchString(prev):
		default:
			t.Errorf("README.md:%d: sh block without <!-- run --> or <!-- not run: REASON --> on the line before (found %q)", i+1, prev)
		}
	}
	if blocks == 0 || ran == 0 {
		t.Fatalf("%d sh blocks, %d run: the README parser is broken", blocks, ran)
	}
	// readme.sh is a walkthrough, so CI runs it against the started server with the others.
	if ci := readFile(t, ".ci/run"); !strings.Contains(ci, "docs/walkthrough/*.sh") {
		t.Error(".ci/run no longer runs every docs/walkthrough/*.sh")
	}
	if _, err := os.Stat("docs/walkthrough/readme.sh"); err != nil {
		t.Error(err)
	}
}

// The README's runbook is the script: its numbered steps are the script's steps, in order.
func TestReadmeRunbookIsTheScript(t *testing.T) {
	readme := readFile(t, "README.md")
	script := readFile(t, "docs/runbook/production.sh")
	var want []string
	for _, m := range regexp.MustCompile(`(?m)^step "(\d+)\. ([^"(]+?)(?: \(.*\))?"$`).FindAllStringSubmatch(script, -1) {
		want = append(want, m[1]+". "+m[2])
	}
	start := strings.Index(readme, "### The runbook")
	end := strings.Index(readme[start+1:], "\n### ")
	if start < 0 || end < 0 {
		t.Fatal("README.md has no \"### The runbook\" section")
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^(\d+)\. \*\*([^*]+)\*\*`).FindAllStringSubmatch(readme[start:start+1+end], -1) {
		got = append(got, m[1]+". "+strings.ToLower(m[2][:1])+m[2][1:])
	}
	if len(want) < 5 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("README runbook steps:\n%s\nscript steps:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(readme, "docs/runbook/production.sh") || !strings.Contains(readFile(t, ".ci/production-runbook.sh"), "docs/runbook/production.sh") {
		t.Error("the README and CI must both name docs/runbook/production.sh")
	}
}

// githubAnchor is the id GitHub gives a heading: lower case, punctuation dropped, spaces to '-'.
func githubAnchor(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The table of contents and every #link inside the README lead to a heading; the README cites
// nothing outside the repository's own tree.
func TestReadmeLinks(t *testing.T) {
	readme := readFile(t, "README.md")
	anchors := map[string]bool{}
	inCode := false
	for _, l := range strings.Split(readme, "\n") {
		if strings.HasPrefix(l, "```") {
			inCode = !inCode
		}
		if !inCode && strings.HasPrefix(l, "#") {
			anchors[githubAnchor(strings.TrimLeft(l, "#"))] = true
		}
	}
	for _, m := range regexp.MustCompile(`\]\(#([^)]+)\)`).FindAllStringSubmatch(readme, -1) {
		if !anchors[m[1]] {
			t.Errorf("README.md links to #%s: no such heading", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`\]\(([^)#:]+)(?:#[^)]*)?\)`).FindAllStringSubmatch(readme, -1) {
		if strings.Contains(m[1], "..") {
			t.Errorf("README.md cites %s, outside the repository", m[1])
			continue
		}
		if _, err := os.Stat(m[1]); err != nil {
			t.Errorf("README.md links to %s: %v", m[1], err)
		}
	}
	// The project stands alone: no path that climbs out of the checkout into the workspace's
	// shared folder (written in two parts so this test does not cite it either).
	if outside := "../" + "shared"; strings.Contains(readme, outside) {
		t.Errorf("README.md cites %s/", outside)
	}
}

// The README's staff-console section says which administration screens exist and which calls
// are API-only: the console's sources agree (a new screen fails this test until the README
// moves the call out of its API-only list).
func TestReadmeConsoleScreens(t *testing.T) {
	files, err := filepath.Glob("console/src/views/*.vue")
	if err != nil || len(files) == 0 {
		t.Fatalf("console views: %v %v", files, err)
	}
	var src strings.Builder
	for _, f := range files {
		src.WriteString(readFile(t, f))
	}
	console := src.String()
	readme := readFile(t, "README.md")
	staffScreen := "staff accounts (list, create with an initial password, change the\nrole, reset the password or the second factor, disable)"
	for _, c := range []struct{ call, readme string }{
		{`"GET", "/admin/staff"`, staffScreen},
		{`"POST", "/admin/staff"`, staffScreen},
		{"/role`", staffScreen},
		{"/reset-password`", staffScreen},
		{"/reset-second-factor`", staffScreen},
		{"/disable`", staffScreen},
		{`"GET", "/admin/notifications/dead"`, "notification dead letters (list,\nrequeue)"},
		{"/requeue`", "notification dead letters (list,\nrequeue)"},
		{`"GET", "/admin/calendar/"`, "calendar of a year (view; load a year's JSON file after a preview"},
		{`"PUT", "/admin/calendar/"`, "calendar of a year (view; load a year's JSON file after a preview"},
		{`"PUT", ` + "`/admin/policy/", "a change from a future date"},
		{`"POST", "/audit/verify"`, "`POST /api/v1/audit/verify` runs"},
		{`"POST", "/auth/console-password"`, "`POST /api/v1/auth/console-password` replaces the cookie session"},
		{`"/case-search?q="`, "`GET /api/v1/case-search`"},
		{"/complaints/${answering.row.id}/answer`", "`POST /api/v1/complaints/{id}/answer`"},
	} {
		if !strings.Contains(console, c.call) {
			t.Errorf("the README says the console does %q, but no view calls %s", c.readme, c.call)
		}
		if !strings.Contains(readme, c.readme) {
			t.Errorf("README.md no longer says %q", c.readme)
		}
	}
	for _, apiOnly := range []string{"/admin/areas/import", "/admin/checklist-rules", "/assisted-applications"} {
		if strings.Contains(console, apiOnly) {
			t.Errorf("the console now calls %s: move it out of the README's API-only list", apiOnly)
		}
	}
}
