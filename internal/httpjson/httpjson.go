// Package httpjson holds the few lines every Earshot HTTP endpoint shares:
// writing a JSON answer or a JSON error, and reading a bounded POST body
// (webhooks, the push API).
package httpjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Write sends v as JSON with status. Answers are never cached and never
// sniffed as another type (post text in them is escaped for HTML as well).
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client has gone; nothing to do
}

// Error sends {"error": msg} with status.
func Error(w http.ResponseWriter, status int, msg string) {
	Write(w, status, map[string]string{"error": msg})
}

// IsPost reports whether r is a POST; otherwise it answers 405 with
// Allow. Endpoints call it before checking credentials, which they check
// before reading the body.
func IsPost(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		Error(w, http.StatusMethodNotAllowed, "use POST")
		return false
	}
	return true
}

// ReadPost reads the body of a POST of at most max bytes. For another
// method, a larger body or a failed read it answers (405 with Allow, 413,
// 400) and returns false: the handler then returns at once.
func ReadPost(w http.ResponseWriter, r *http.Request, max int64) ([]byte, bool) {
	if !IsPost(w, r) {
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		Error(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", max))
		return nil, false
	case err != nil:
		Error(w, http.StatusBadRequest, "reading body: "+err.Error())
		return nil, false
	}
	return body, true
}
