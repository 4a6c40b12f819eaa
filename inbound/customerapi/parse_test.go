package customerapi

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func TestParseCSV(t *testing.T) {
	list := "source,handle,kind,customer_id,name,tier,owner\n" +
		"twitter,@ZoeB,,crm-1,Zoë's Bakery,Enterprise,sam\n" +
		"twitter,cloudoutagewatch,media,,,,\n" +
		"mastodon,,customer,crm-2,Lena,,\n" + // no handle
		"twitter,acmebot,robot,,,,\n" + // unknown kind
		"bluesky,sam.bsky.example,customer,,,,\n" + // a customer with no ID or name
		"reddit,u_ok,customer,crm-3\n" + // too few fields
		"\"unterminated,x,y\n"
	got, bad, err := Parse(strings.NewReader(list), FormatCSV, now)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []earshot.SocialAccount{
		{Source: "twitter", Handle: "ZoeB", Kind: earshot.AccountCustomer, CustomerID: "crm-1", Name: "Zoë's Bakery", Tier: "enterprise", Owner: "sam", UpdatedAt: now},
		{Source: "twitter", Handle: "cloudoutagewatch", Kind: earshot.AccountMedia, UpdatedAt: now},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d accounts %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("account %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	wantLines := map[int]string{4: "handle is empty", 5: "kind \"robot\"", 6: "needs a customer_id or a name", 7: "4 fields, want 7", 8: ""}
	if len(bad) != len(wantLines) {
		t.Fatalf("got errors %v, want lines %v", bad, wantLines)
	}
	for _, b := range bad {
		frag, ok := wantLines[b.Line]
		if !ok || !strings.Contains(b.Reason, frag) {
			t.Errorf("error %s: want line in %v with %q", b, wantLines, frag)
		}
	}
}

func TestParseBadLists(t *testing.T) {
	for _, tc := range []struct{ name, format, list, want string }{
		{"empty csv", FormatCSV, "", "empty"},
		{"unknown column", FormatCSV, "source,handle,email\n", `unknown column "email"`},
		{"no handle column", FormatCSV, "source,name\n", "source and handle"},
		{"empty json", FormatJSON, "  \n", "empty"},
		{"broken array", FormatJSON, `[{"source": "twitter"`, "not a JSON array"},
		{"unknown format", "xml", "<a/>", "unknown format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse(strings.NewReader(tc.list), tc.format, now)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	array := `[{"network": "Twitter", "handle": "zoe", "name": "Zoë"}, {"source": "twitter"}, {"source": "x", "handle": "y", "kind": "bot", "email": "no"}]`
	got, bad, err := Parse(strings.NewReader(array), FormatJSON, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Source != "twitter" || got[0].Handle != "zoe" || got[0].Kind != earshot.AccountCustomer {
		t.Errorf("array: got %+v", got)
	}
	if len(bad) != 2 || bad[0].Line != 2 || bad[1].Line != 3 || !strings.Contains(bad[1].Reason, "email") {
		t.Errorf("array errors: got %v, want items 2 and 3", bad)
	}
	lines := "{\"source\":\"twitter\",\"handle\":\"a\",\"kind\":\"media\"}\n\nnot json\n{\"source\":\"reddit\",\"handle\":\"b\",\"kind\":\"competitor\"}\n"
	got, bad, err = Parse(strings.NewReader(lines), FormatJSON, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Kind != earshot.AccountCompetitor {
		t.Errorf("lines: got %+v", got)
	}
	if len(bad) != 1 || bad[0].Line != 3 {
		t.Errorf("lines errors: got %v, want line 3", bad)
	}
}

func TestFormatOf(t *testing.T) {
	for in, want := range map[string]string{"a.csv": FormatCSV, "a.JSON": FormatJSON, "b.jsonl": FormatJSON,
		"application/json; charset=utf-8": FormatJSON, "text/csv": FormatCSV, "": FormatCSV} {
		if got := FormatOf(in); got != want {
			t.Errorf("FormatOf(%q) = %s, want %s", in, got, want)
		}
	}
}
