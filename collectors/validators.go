package collectors

import "net/http"

// Validators identify the version of a resource a server last sent (its
// ETag and Last-Modified). A collector keeps them in its cursor, as these
// JSON keys, and sends them back, so that a resource unchanged since
// answers 304, which Fetch returns as earshot.ErrNotModified.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// MaxValidator bounds a validator kept in a cursor: a longer one is
// dropped, and the next fetch asks unconditionally.
const MaxValidator = 512

// Ask makes the request whose header is h conditional on v: If-None-Match
// and If-Modified-Since, each when v has it.
func (v Validators) Ask(h http.Header) {
	if v.ETag != "" {
		h.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		h.Set("If-Modified-Since", v.LastModified)
	}
}

// ValidatorsOf returns the validators of a response's header h, without
// one longer than MaxValidator.
func ValidatorsOf(h http.Header) Validators {
	var v Validators
	if e := h.Get("ETag"); len(e) <= MaxValidator {
		v.ETag = e
	}
	if lm := h.Get("Last-Modified"); len(lm) <= MaxValidator {
		v.LastModified = lm
	}
	return v
}
