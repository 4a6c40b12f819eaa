package main

import (
	"io/fs"
	"strings"
	"testing"
)

// Every usage text under help/ is shown by the command it belongs to, and
// -h or help is not an error.
func TestHelpTexts(t *testing.T) {
	cases := map[string][]string{
		"analyze":        {"analyze", "-h"},
		"bench":          {"bench", "-h"},
		"customers":      {"customers", "help"},
		"detect":         {"detect", "-h"},
		"eval":           {"eval", "-h"},
		"eval-sentiment": {"eval", "sentiment", "-h"},
		"eval-spikes":    {"eval", "spikes", "-h"},
		"demo":           {"demo", "-h"},
		"digest":         {"digest", "-h"},
		"digest-send":    {"digest", "send", "-h"},
		"erase":          {"erase", "-h"},
		"eval-followups": {"eval", "followups", "-h"},
		"followups":      {"followups", "help"},
		"import":         {"import", "-h"},
		"incident":       {"incident", "--help"},
		"replay":         {"replay", "-h"},
		"silence":        {"silence", "help"},
		"store":          {"store", "help"},
		"user":           {"user", "help"},
	}
	files, err := fs.Glob(helpFiles, "help/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(cases) {
		t.Errorf("%d help files, %d commands showing them: %v", len(files), len(cases), files)
	}
	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "help/"), ".txt")
		args, ok := cases[name]
		if !ok {
			t.Errorf("%s: no command shows it", file)
			continue
		}
		text := helpText(name)
		if !strings.HasPrefix(text, "Usage: earshot ") || strings.HasSuffix(text, "\n") {
			t.Errorf("%s: want one usage text starting \"Usage: earshot \" without a final newline, got %q", file, text)
		}
		e, _, errb := testEnv("")
		if code := run(t.Context(), args, e); code != 0 {
			t.Errorf("earshot %s: exit code %d, want 0; stderr: %s", strings.Join(args, " "), code, errb)
		}
		if !strings.HasPrefix(errb.String(), text+"\n") {
			t.Errorf("earshot %s: stderr does not start with %s:\n%s", strings.Join(args, " "), file, errb)
		}
	}
}
