package customerapi

import (
	"bytes"
	"strings"
	"testing"

	"github.com/earshot/earshot"
)

func TestWriteImported(t *testing.T) {
	var out, errs bytes.Buffer
	rep := Report{Read: 4, Imported: 3, Rejected: 1, Errors: []LineError{{Line: 3, Reason: "no handle"}},
		ByKind: map[earshot.AccountKind]int{"customer": 2, "media": 1}}
	WriteImported(&out, &errs, "accounts.csv", rep)
	if got, want := out.String(), "Imported 3 of 4 accounts from accounts.csv; 2 customer; 1 media.\n"; got != want {
		t.Errorf("out = %q, want %q", got, want)
	}
	if got, want := errs.String(), "accounts.csv: line 3: no handle\n"; got != want {
		t.Errorf("errors = %q, want %q", got, want)
	}
}

func TestWriteAccounts(t *testing.T) {
	var out bytes.Buffer
	if err := WriteAccounts(&out, nil); err != nil || out.String() != "No accounts imported.\n" {
		t.Errorf("no accounts: %q, %v", out.String(), err)
	}
	out.Reset()
	acc := []earshot.SocialAccount{{Source: "twitter", Handle: "sam", Kind: "customer", CustomerID: "c1"}}
	if err := WriteAccounts(&out, acc); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "twitter") || !strings.Contains(lines[1], "@sam") || !strings.HasSuffix(lines[1], "-") {
		t.Errorf("table = %q", out.String())
	}
}
