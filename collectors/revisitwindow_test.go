package collectors

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

type testUntil int64

func (testUntil) SweepKey() string { return "until" }

type testToken string

func (testToken) SweepKey() string { return "page_token" }

type revisitCursor struct {
	V    int    `json:"v"`
	Page string `json:"page"`
	RevisitWindow[testUntil]
}

func TestRevisitJSON(t *testing.T) {
	for _, in := range []string{
		`{"v":1,"page":"p","since":10}`,
		`{"v":1,"page":"p","since":10,"sweep":{"start":30}}`,
		`{"v":1,"page":"p","since":10,"sweep":{"start":30,"until":21},"seen":{"a":{"t":20,"ids":{"a":"1f","b":"2e"}}}}`,
	} {
		var c revisitCursor
		if err := json.Unmarshal([]byte(in), &c); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Errorf("round trip\n got: %s\nwant: %s", out, in)
		}
	}
	var c revisitCursor
	if err := json.Unmarshal([]byte(`{"sweep":{"Start":5,"UNTIL":7}}`), &c); err != nil || c.Sweep == nil || *c.Sweep != (Sweep[testUntil]{Start: 5, At: 7}) {
		t.Errorf("keys are not matched as encoding/json matches them: %+v, %v", c.Sweep, err)
	}
	if err := json.Unmarshal([]byte(`{"sweep":{"start":"x"}}`), &c); err == nil {
		t.Error("a string start decoded")
	}
	b, _ := json.Marshal(Sweep[testToken]{Start: 1, At: "<tok>"})
	if string(b) != `{"start":1,"page_token":"\u003ctok\u003e"}` {
		t.Errorf("token sweep: %s", b)
	}
}

// pager is a list of items created at the times in items (newest first),
// read two per request, with budget requests in all.
type pager struct {
	items  []int64
	budget int
	err    error
	calls  []string
}

func (p *pager) pass(since int64, from testUntil) (bool, testUntil, error) {
	var next testUntil
	p.calls = append(p.calls, "since "+itoa(since)+" until "+itoa(int64(from)))
	read := 0
	for _, t := range p.items {
		if t < since || (from != 0 && t > int64(from)) {
			continue
		}
		if read%2 == 0 {
			if p.budget == 0 {
				return false, next, p.err
			}
			p.budget--
		}
		read++
		next = testUntil(t)
	}
	return true, 0, nil
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestRevisitRun(t *testing.T) {
	now := time.Unix(1000, 0)
	w := RevisitWindow[testUntil]{Since: 100}
	p := &pager{items: []int64{900, 800, 700, 600, 500}, budget: 2}
	if err := w.Run(now, 300*time.Second, p.pass); err != nil {
		t.Fatal(err)
	}
	if w.Since != 100 || w.Sweep == nil || *w.Sweep != (Sweep[testUntil]{Start: 1000, At: 600}) {
		t.Fatalf("after a stop: since %d, sweep %+v", w.Since, w.Sweep)
	}

	// The next run reads what is new since the sweep began, then the
	// rest of the sweep, and moves Since up to revisit before it began.
	p = &pager{items: []int64{1100, 900, 800, 700, 600, 500}, budget: 10}
	if err := w.Run(now.Add(200*time.Second), 300*time.Second, p.pass); err != nil {
		t.Fatal(err)
	}
	if w.Sweep != nil || w.Since != 700 {
		t.Fatalf("after the sweep: since %d, sweep %+v", w.Since, w.Sweep)
	}
	if len(p.calls) != 2 || p.calls[0] != "since 1000 until 0" || p.calls[1] != "since 100 until 600" {
		t.Errorf("calls %q", p.calls)
	}

	// A run that finishes moves Since to revisit before now.
	p = &pager{items: []int64{900, 800}, budget: 10}
	if err := w.Run(now.Add(500*time.Second), 300*time.Second, p.pass); err != nil || w.Since != 1200 || w.Sweep != nil {
		t.Fatalf("since %d, sweep %+v, err %v", w.Since, w.Sweep, err)
	}

	// An error in the first pass of a sweep leaves the sweep as it was.
	boom := errors.New("boom")
	w = RevisitWindow[testUntil]{Since: 100, Sweep: &Sweep[testUntil]{Start: 1000, At: 600}}
	p = &pager{items: []int64{1100, 1050, 1020}, budget: 1, err: boom}
	if err := w.Run(now, 300*time.Second, p.pass); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if *w.Sweep != (Sweep[testUntil]{Start: 1000, At: 600}) || len(p.calls) != 1 {
		t.Errorf("sweep %+v, calls %q", w.Sweep, p.calls)
	}

	// A sweep pass that reads nothing keeps its position.
	p = &pager{items: []int64{550}, budget: 0}
	w.Run(now, 300*time.Second, p.pass)
	if w.Sweep.At != 600 {
		t.Errorf("sweep moved to %d", w.Sweep.At)
	}
}

func TestRevisitThreads(t *testing.T) {
	w := RevisitWindow[testUntil]{Since: 100}
	th := w.Thread("a", 150)
	if w.Thread("a", 999) != th || th.T != 150 {
		t.Fatal("Thread made a second record")
	}
	if take, edited := th.Take("a", "hello"); !take || edited {
		t.Errorf("new: %v %v", take, edited)
	}
	if take, _ := th.Take("a", "hello"); take {
		t.Error("same text taken again")
	}
	if take, edited := th.Take("a", "hello!"); !take || !edited {
		t.Errorf("edit: %v %v", take, edited)
	}
	w.Thread("empty", 150)
	w.Thread("old", 50).Take("x", "y")
	w.Prune()
	if len(w.Seen) != 1 || w.Seen["a"] == nil {
		t.Errorf("after Prune: %v", w.Seen)
	}
	if got := Fingerprint("hello"); got != "4f9f2cab" {
		t.Errorf("Fingerprint(hello) = %s", got)
	}
}

func TestBackoff(t *testing.T) {
	var b Backoff
	now := time.Unix(1000, 0)
	if b.Wait(now) > 0 {
		t.Error("zero Backoff waits")
	}
	b.Until(now.Add(time.Minute))
	b.Until(now.Add(time.Second))
	if got := b.Wait(now); got != time.Minute {
		t.Errorf("Wait = %v, want 1m", got)
	}
}

func TestRevisitCursor(t *testing.T) {
	c := NewRevisitCursor[testUntil]("104857600123", 1748606400)
	c.Sweep = &Sweep[testUntil]{Start: 1748865600, At: 1748851201}
	c.Seen = map[string]*RevisitThread{"901": {T: 1748851200, IDs: map[string]string{"901": "6b1f0c2a"}}}
	s := c.String()
	want := `{"v":2,"owner":"104857600123","since":1748606400,"sweep":{"start":1748865600,"until":1748851201},"seen":{"901":{"t":1748851200,"ids":{"901":"6b1f0c2a"}}}}`
	if s != want {
		t.Fatalf("String:\n got %s\nwant %s", s, want)
	}
	back, err := ParseRevisitCursor[testUntil](s, "104857600123")
	if err != nil || back.String() != s {
		t.Fatalf("round trip: %v, %s", err, back.String())
	}
	for _, bad := range []struct{ cursor, owner, why string }{
		{s, "999", "another owner's cursor"},
		{`{"v":1,"owner":"104857600123","since":1}`, "104857600123", "an older version"},
		{`{"v":2,"owner":`, "104857600123", "truncated JSON"},
	} {
		if _, err := ParseRevisitCursor[testUntil](bad.cursor, bad.owner); err == nil {
			t.Errorf("%s was accepted", bad.why)
		}
	}
}
