package engine

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/earshot/earshot/store/memstore"
)

// TestRoutes: the alert API answers at each path Routes mounts it on.
func TestRoutes(t *testing.T) {
	e, err := New(Config{Store: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	routes := e.Routes(nil)
	for _, path := range []string{"/api/alerts", "/api/silences"} {
		h, ok := routes[path]
		if !ok {
			t.Fatalf("no route %s", path)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
	}
	if len(routes) != 4 {
		t.Errorf("%d routes, want 4 (each path with and without a trailing slash)", len(routes))
	}
}
