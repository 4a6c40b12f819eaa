package publishapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/publish"
	"github.com/earshot/earshot/store/memstore"
)

type echoChannel struct{ sent []publish.Message }

func (e *echoChannel) Name() string               { return "mastodon" }
func (e *echoChannel) Limit() (int, publish.Unit) { return 30, publish.Graphemes }
func (e *echoChannel) Send(_ context.Context, m publish.Message) (publish.Result, error) {
	e.sent = append(e.sent, m)
	return publish.Result{RemoteID: "1093", URL: "https://social.example/@acme/1093"}, nil
}

// withUser puts the user named by the test header X-Test-User
// ("name:role") in the request's context, as sign-in does.
func withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get("X-Test-User"); v != "" {
			name, role, _ := strings.Cut(v, ":")
			r = r.WithContext(auth.WithUser(r.Context(), earshot.User{Name: name, Role: earshot.Role(role)}))
		}
		next.ServeHTTP(w, r)
	})
}

func newServer(t *testing.T, approval publish.Approval) (*httptest.Server, *echoChannel) {
	t.Helper()
	st := memstore.New()
	start := time.Date(2026, 12, 7, 14, 5, 0, 0, time.UTC)
	if err := st.SaveIncident(t.Context(), earshot.Incident{ID: "inc-1", Title: "Login failures", Status: earshot.Investigating,
		Services: []string{"login"}, StartedAt: start}); err != nil {
		t.Fatal(err)
	}
	ch := &echoChannel{}
	cfg := publish.DefaultConfig()
	cfg.Approval = approval
	svc, err := publish.New(st, cfg, publish.Options{Channels: []publish.Channel{ch}, Now: func() time.Time { return start.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(withUser(New(svc, Options{WriteTokens: []string{"write-tok"}})))
	t.Cleanup(srv.Close)
	return srv, ch
}

func do(t *testing.T, method, u, body string, header ...string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s %s: answer %q is not JSON", method, u, b)
	}
	return resp.StatusCode, out
}

func TestDraftAndPreviews(t *testing.T) {
	srv, _ := newServer(t, publish.ApprovalNone)
	base := srv.URL + "/api/v1/incidents/inc-1"
	code, out := do(t, "GET", base+"/draft?phase=investigating&channel=statuspage", "")
	if text, _ := out["text"].(string); code != 200 || !strings.Contains(text, "login") || !strings.Contains(text, "[ETA]") {
		t.Errorf("draft: %d %v", code, out)
	}
	code, out = do(t, "GET", base+"/draft?phase=panic&channel=social", "")
	if code != 400 || !strings.Contains(out["error"].(string), `phase "panic" is not one of investigating`) {
		t.Errorf("bad phase: %d %v", code, out)
	}
	code, out = do(t, "GET", base+"/draft?phase=resolved&channel=fax", "")
	if code != 400 || !strings.Contains(out["error"].(string), `channel "fax" is not statuspage or social`) {
		t.Errorf("bad channel: %d %v", code, out)
	}
	if code, _ := do(t, "GET", srv.URL+"/api/v1/incidents/nope/draft?phase=resolved&channel=social", ""); code != 404 {
		t.Errorf("unknown incident: %d", code)
	}
	code, out = do(t, "POST", base+"/previews", `{"phase":"identified","text":"We found the cause of the failed logins.","channels":["mastodon"]}`)
	ps, _ := out["previews"].([]any)
	if code != 200 || len(ps) != 1 {
		t.Fatalf("previews: %d %v", code, out)
	}
	p := ps[0].(map[string]any)
	if p["text"] != "We found the cause of the…" || p["count"] != 26.0 || p["limit"] != 30.0 || p["cut"] != true {
		t.Errorf("preview: %v", p)
	}
	code, out = do(t, "GET", base+"/publications", "")
	if chans, _ := out["channels"].([]any); code != 200 || len(chans) != 1 || out["approval"] != false {
		t.Errorf("listing: %d %v", code, out)
	}
}

func TestPublishAuth(t *testing.T) {
	srv, ch := newServer(t, publish.ApprovalNone)
	u := srv.URL + "/api/v1/incidents/inc-1/publications"
	body := `{"phase":"investigating","text":"Looking into failed logins.","channels":["mastodon"]}`
	if code, out := do(t, "POST", u, body); code != 401 || !strings.Contains(out["error"].(string), "write token") {
		t.Errorf("anonymous: %d %v", code, out)
	}
	if code, _ := do(t, "POST", u, body, "Authorization", "Bearer nope"); code != 401 {
		t.Errorf("a wrong token: %d", code)
	}
	if code, out := do(t, "POST", u, body, "X-Test-User", "eve:exec"); code != 403 || !strings.Contains(out["error"].(string), "may not publish") {
		t.Errorf("an exec: %d %v", code, out)
	}
	if code, out := do(t, "POST", u, body, "X-Test-User", "ana:comms", "Origin", "https://evil.example"); code != 403 {
		t.Errorf("a cross-site request: %d %v", code, out)
	}
	if len(ch.sent) != 0 {
		t.Fatal("a refused request was sent")
	}
	code, out := do(t, "POST", u, body, "X-Test-User", "ana:comms", "Origin", srv.URL)
	pubs, _ := out["publications"].([]any)
	if code != 201 || len(pubs) != 1 {
		t.Fatalf("comms publishing: %d %v", code, out)
	}
	p := pubs[0].(map[string]any)
	if p["by"] != "ana" || p["state"] != "published" || p["url"] != "https://social.example/@acme/1093" || len(ch.sent) != 1 {
		t.Errorf("publication: %v", p)
	}
	code, out = do(t, "POST", u, `{"phase":"identified","text":"Found it.","channels":["mastodon"]}`, "Authorization", "Bearer write-tok")
	if pubs, _ := out["publications"].([]any); code != 201 || pubs[0].(map[string]any)["by"] != "token" {
		t.Errorf("with a write token: %d %v", code, out)
	}
	code, out = do(t, "GET", srv.URL+"/api/v1/incidents/inc-1/publications", "")
	if pubs, _ := out["publications"].([]any); code != 200 || len(pubs) != 2 {
		t.Errorf("listing: %d %v", code, out)
	}
	if code, _ := do(t, "POST", u, `{"phase":"x","text":"y","channels":["mastodon"],"actor":"mallory"}`, "Authorization", "Bearer write-tok"); code != 400 {
		t.Errorf("an unknown field: %d", code)
	}
	req, _ := http.NewRequest("POST", u, strings.NewReader("phase=x"))
	req.Header.Set("Authorization", "Bearer write-tok")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 415 {
		t.Errorf("a form post: %v %v", resp.StatusCode, err)
	}
}

func TestApprove(t *testing.T) {
	srv, ch := newServer(t, publish.ApprovalSecondPerson)
	u := srv.URL + "/api/v1/incidents/inc-1/publications"
	code, out := do(t, "POST", u, `{"phase":"investigating","text":"Looking into it.","channels":["mastodon"]}`, "X-Test-User", "ana:comms")
	pubs, _ := out["publications"].([]any)
	if code != 202 || len(pubs) != 1 || pubs[0].(map[string]any)["state"] != "pending" || len(ch.sent) != 0 {
		t.Fatalf("publish with approval: %d %v", code, out)
	}
	id := pubs[0].(map[string]any)["id"].(string)
	if code, out := do(t, "POST", u+"/"+id+"/approve", "", "X-Test-User", "ana:comms"); code != 403 || !strings.Contains(out["error"].(string), "another person") {
		t.Errorf("self-approval: %d %v", code, out)
	}
	if code, _ := do(t, "POST", u+"/pub-nope/approve", "", "X-Test-User", "ben:comms"); code != 404 {
		t.Errorf("approving an unknown publication: %d", code)
	}
	code, out = do(t, "POST", u+"/"+id+"/approve", "", "X-Test-User", "ben:admin")
	if p, _ := out["publication"].(map[string]any); code != 200 || p["state"] != "published" || p["approved_by"] != "ben" || len(ch.sent) != 1 {
		t.Errorf("approval: %d %v", code, out)
	}
	if code, _ := do(t, "POST", u+"/"+id+"/approve", "", "X-Test-User", "cy:comms"); code != 400 {
		t.Errorf("approving twice: %d", code)
	}
}
