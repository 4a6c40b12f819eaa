package collectors

import (
	"encoding/json"
	"testing"
	"time"
)

type rereadCursor struct {
	V     int    `json:"v"`
	Forum string `json:"forum"`
	RereadWindow[string]
	Resume *struct {
		Since int64 `json:"since"`
	} `json:"resume,omitempty"`
}

func TestRereadJSON(t *testing.T) {
	in := `{"v":1,"forum":"f","since":10,"newest":20,"seen":[{"id":"a","at":20,"h":"9f3c1a2b"}],"resume":{"since":10}}`
	var c rereadCursor
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	if out, _ := json.Marshal(c); string(out) != in {
		t.Errorf("round trip\n got: %s\nwant: %s", out, in)
	}
}

func TestRereadWindow(t *testing.T) {
	now := time.Unix(10_000, 0)
	w := NewRereadWindow[int64](now, time.Hour)
	if w.Since != 6400 || w.Newest != 6400 {
		t.Fatalf("NewRereadWindow: %+v", w)
	}
	if got := w.Start(now, 10*time.Minute); got != 6400 {
		t.Errorf("Start with nothing collected = %d, want Since", got)
	}
	w.Newest = 9900
	if got := w.Window(now, 10*time.Minute); got != 9400 {
		t.Errorf("Window = %d, want 9400", got)
	}
	if got := w.Window(now, time.Minute); got != 9900 {
		t.Errorf("Window = %d, want Newest", got)
	}
	if got := w.Start(now, 5*time.Hour); got != 6400 {
		t.Errorf("Start = %d, want Since", got)
	}
}

func TestRereadTake(t *testing.T) {
	w := RereadWindow[int64]{Since: 0, Newest: 100}
	if take, edited := w.Take(7, 150, "h1"); !take || edited || w.Newest != 150 {
		t.Errorf("new: %v %v, newest %d", take, edited, w.Newest)
	}
	if take, _ := w.Take(7, 150, "h1"); take {
		t.Error("same hash taken again")
	}
	if take, edited := w.Take(7, 120, "h2"); !take || !edited || len(w.Seen) != 1 || w.Seen[0].At != 120 || w.Newest != 150 {
		t.Errorf("edit: %v %v, %+v, newest %d", take, edited, w.Seen, w.Newest)
	}
	w.Take(3, 120, "h")
	w.Take(1, 90, "h")
	w.Prune(100)
	if len(w.Seen) != 2 || w.Seen[0].ID != 3 || w.Seen[1].ID != 7 {
		t.Errorf("Prune kept %+v", w.Seen)
	}
	for i := range MaxReread + 5 {
		w.Take(int64(1000+i), int64(200+i), "h")
	}
	w.Prune(0)
	if len(w.Seen) != MaxReread || w.Seen[0].ID != 1005 {
		t.Errorf("Prune beyond MaxReread: %d kept, first %d", len(w.Seen), w.Seen[0].ID)
	}
}

func TestHashOf(t *testing.T) {
	if HashOf("ab", "c") == HashOf("a", "bc") {
		t.Error("parts run together")
	}
	// The cursors stored hold these: the hash must not change.
	if got := HashOf("x"); got != "e162c485" {
		t.Errorf("HashOf(x) = %q, want e162c485", got)
	}
}
