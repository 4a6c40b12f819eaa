package app

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/internal/config"
)

// TestStopHTTPClosesSilentConnections: a client that connected but sent
// nothing (a spare dial of a Go client) keeps net/http's Shutdown waiting
// for five seconds; stopHTTP gives it the grace, then closes it and says
// so, instead of failing the shutdown.
func TestStopHTTPClosesSilentConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(config.Default().Server, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// A request answered (its connection idle after), and one connection
	// that never sends a byte.
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	silent, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	time.Sleep(50 * time.Millisecond) // let the server accept it

	var logs bytes.Buffer
	StopHTTP(srv, 200*time.Millisecond, slog.New(slog.NewTextHandler(&logs, nil)))

	silent.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := silent.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the silent connection is still open after stopHTTP (read: %v)", err)
	}
	if !strings.Contains(logs.String(), "connections still open after the shutdown grace") {
		t.Errorf("no warning about the connection closed: %q", logs.String())
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve returned %v, want ErrServerClosed", err)
	}
}
