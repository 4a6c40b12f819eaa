// Package ingestapi is Earshot's ingest API, for systems Earshot has no
// collector for: POST /api/v1/ingest takes posts in the exchange format
// (earshot.PostRecord) as a JSON array or as JSON lines, authenticated with
// a bearer token or an HMAC-SHA256 signature of the body, and answers with
// what it accepted and, for each post it refused, why. A 2xx answer means
// the accepted posts are durable (stored, or fsynced in the spool); when
// the pipeline is full or shutting down the answer is 503 with
// Retry-After and nothing of the request is kept.
//
//	curl -H "Authorization: Bearer $EARSHOT_INGEST_TOKEN" \
//	     -H 'Content-Type: application/x-ndjson' --data-binary @posts.jsonl \
//	     http://127.0.0.1:8080/api/v1/ingest
//
// With a signing secret, the sender signs the time and the exact body and
// sends both:
//
//	X-Earshot-Timestamp: <Unix seconds>
//	X-Earshot-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//
// A signature whose timestamp is further than Config.SignatureWindow
// (default 5 minutes) from the server's clock is refused, so a captured
// request cannot be replayed later (within the window a replay stores
// nothing new: ingest is idempotent by post ID).
//
// Credentials are checked before the body is read: a bearer token, or the
// presence of a signature with a fresh timestamp (the signature itself is
// verified once the bounded body is read). Each credential then has its
// own rate limit (Handler.Limit): over it, 429 with Retry-After.
package ingestapi

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/httpjson"
)

// SignatureHeader carries the HMAC-SHA256 of the timestamp and the body.
const SignatureHeader = "X-Earshot-Signature"

// TimestampHeader carries the Unix time, in seconds, of a signature.
const TimestampHeader = "X-Earshot-Timestamp"

// DefaultSignatureWindow is how far a signature's timestamp may be from
// the server's clock when Config.SignatureWindow is unset.
const DefaultSignatureWindow = 5 * time.Minute

// Config configures the ingest API.
type Config struct {
	// Tokens are the bearer tokens accepted (auth.Secret: env:NAME or
	// file:PATH).
	Tokens []auth.Secret `yaml:"tokens"`
	// SigningSecret, when set, accepts requests signed with it instead of a
	// token.
	SigningSecret auth.Secret `yaml:"signing_secret"`
	// MaxBytes bounds a request body; larger ones get 413 (default 10 MiB).
	MaxBytes int64 `yaml:"max_bytes"`
	// MaxPosts bounds the posts in one request (default 10,000).
	MaxPosts int `yaml:"max_posts"`
	// SignatureWindow is how far the X-Earshot-Timestamp of a signed
	// request may be from the server's clock, either way (default 5m).
	SignatureWindow time.Duration `yaml:"signature_window"`
}

// Validate checks c, naming keys under "ingest".
func (c Config) Validate() error {
	switch {
	case c.MaxBytes < 0:
		return errors.New("ingest.max_bytes: must not be negative")
	case c.MaxPosts < 0:
		return errors.New("ingest.max_posts: must not be negative")
	case c.SignatureWindow < 0:
		return errors.New("ingest.signature_window: must not be negative")
	case c.SignatureWindow > 0 && c.SignatureWindow < 10*time.Second:
		return fmt.Errorf("ingest.signature_window: %s is too short for clock skew (at least 10s)", c.SignatureWindow)
	}
	return nil
}

// Handler serves POST /api/v1/ingest.
type Handler struct {
	// Limit bounds each credential's requests (nil: no bound).
	Limit *auth.Limiter
	// Now is the clock signatures are dated against (default time.Now).
	Now func() time.Time

	tokens auth.Tokens
	secret []byte
	cfg    Config
	sink   func(ctx context.Context, posts []earshot.Post) error
	log    *slog.Logger
}

// New resolves the configured secrets and returns the handler. sink takes
// the accepted posts (the pipeline's Add). Without any token or signing
// secret the API would be open to anyone, so that is an error.
func New(cfg Config, sink func(context.Context, []earshot.Post) error, getenv func(string) string, log *slog.Logger) (*Handler, error) {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 10 << 20
	}
	if cfg.MaxPosts <= 0 {
		cfg.MaxPosts = 10_000
	}
	if cfg.SignatureWindow <= 0 {
		cfg.SignatureWindow = DefaultSignatureWindow
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{cfg: cfg, sink: sink, log: log, Now: time.Now}
	var tokens []string
	for i, t := range cfg.Tokens {
		v, err := t.Resolve(getenv)
		if err != nil {
			return nil, fmt.Errorf("ingest.tokens[%d]: %w", i, err)
		}
		tokens = append(tokens, v)
	}
	h.tokens = auth.NewTokens(tokens...)
	if cfg.SigningSecret != "" {
		v, err := cfg.SigningSecret.Resolve(getenv)
		if err != nil {
			return nil, fmt.Errorf("ingest.signing_secret: %w", err)
		}
		h.secret = []byte(v)
	}
	if h.tokens.Len() == 0 && h.secret == nil {
		return nil, errors.New("ingest: set tokens or signing_secret; a write API without auth is refused")
	}
	return h, nil
}

// ItemError says why one post of a request was refused.
type ItemError struct {
	// Index is the post's position in the request, from 0.
	Index int    `json:"index"`
	ID    string `json:"id,omitempty"`
	Error string `json:"error"`
}

// Result is the answer to an ingest request.
type Result struct {
	Accepted int         `json:"accepted"`
	Rejected int         `json:"rejected"`
	Errors   []ItemError `json:"errors,omitempty"`
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !httpjson.IsPost(w, r) {
		return
	}
	who, signed, problem := h.credential(r)
	if problem != "" {
		unauthorized(w, problem)
		return
	}
	if !h.Limit.Allow(w, "ingest:"+who) {
		return
	}
	body, ok := httpjson.ReadPost(w, r, h.cfg.MaxBytes)
	if !ok {
		return
	}
	if signed && !h.verify(r, body) {
		unauthorized(w, "wrong signature")
		return
	}
	records, res, err := decode(body, h.cfg.MaxPosts)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	posts := make([]earshot.Post, 0, len(records))
	for _, rec := range records {
		p, err := rec.rec.Post()
		if err != nil {
			res.Errors = append(res.Errors, ItemError{Index: rec.index, ID: rec.rec.ID, Error: err.Error()})
			continue
		}
		posts = append(posts, p)
	}
	if len(posts) > 0 {
		if err := h.sink(r.Context(), posts); err != nil && !errors.Is(err, earshot.ErrRejected) {
			// Nothing of the request was kept: 503 with Retry-After, and
			// the sender sends it all again.
			var ra earshot.RetryAfter
			if errors.As(err, &ra) {
				w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(ra.RetryAfter().Seconds())))))
				h.log.Warn("refusing posts", "err", err, "posts", len(posts))
				httpjson.Error(w, http.StatusServiceUnavailable, "busy: could not take the posts now; retry after the Retry-After seconds")
				return
			}
			h.log.Error("ingesting posts", "err", err, "posts", len(posts))
			httpjson.Error(w, http.StatusServiceUnavailable, "could not take the posts now; retry later")
			return
		}
	}
	slices.SortFunc(res.Errors, func(a, b ItemError) int { return a.Index - b.Index })
	res.Accepted = len(posts)
	res.Rejected = len(res.Errors)
	status := http.StatusOK
	if res.Accepted == 0 && res.Rejected > 0 {
		status = http.StatusUnprocessableEntity
	}
	httpjson.Write(w, status, res)
}

func unauthorized(w http.ResponseWriter, problem string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
	httpjson.Error(w, http.StatusUnauthorized, problem)
}

// credential checks what can be checked before the body is read: a bearer
// token, or a signature with a fresh timestamp. It returns who sent r (for
// rate limits), whether the signature is still to be verified, or the
// problem.
func (h *Handler) credential(r *http.Request) (who string, signed bool, problem string) {
	if i, ok := h.tokens.Match(auth.Bearer(r)); ok {
		return fmt.Sprintf("token:%d", i), false, ""
	}
	sig := r.Header.Get(SignatureHeader)
	if h.secret == nil || sig == "" {
		return "", false, "missing or wrong bearer token or signature"
	}
	if !strings.HasPrefix(sig, "sha256=") {
		return "", false, SignatureHeader + " must be sha256=<hex>"
	}
	ts, err := strconv.ParseInt(strings.TrimSpace(r.Header.Get(TimestampHeader)), 10, 64)
	if err != nil {
		return "", false, "a signed request needs " + TimestampHeader + ": <Unix seconds>, signed with the body"
	}
	if d := h.Now().Sub(time.Unix(ts, 0)); d > h.cfg.SignatureWindow || d < -h.cfg.SignatureWindow {
		return "", false, fmt.Sprintf("%s is more than %s from the server's clock; sign requests as they are sent", TimestampHeader, h.cfg.SignatureWindow)
	}
	return "signed", true, ""
}

// verify checks the signature of the timestamp and body.
func (h *Handler) verify(r *http.Request, body []byte) bool {
	given, err := hex.DecodeString(strings.TrimPrefix(r.Header.Get(SignatureHeader), "sha256="))
	if err != nil {
		return false
	}
	return hmac.Equal(given, Sign(h.secret, strings.TrimSpace(r.Header.Get(TimestampHeader)), body))
}

// Sign returns HMAC-SHA256(secret, timestamp + "." + body), what a sender
// puts in X-Earshot-Signature (hex, after "sha256=").
func Sign(secret []byte, timestamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

type indexed struct {
	index int
	rec   earshot.PostRecord
}

// decode reads a JSON array or JSON lines. A line or element that is not
// a post object becomes an item error; a body that is neither form is an
// error.
func decode(body []byte, maxPosts int) ([]indexed, Result, error) {
	var res Result
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, res, errors.New("empty body: send a JSON array of posts or JSON lines")
	}
	if !utf8.Valid(trimmed) {
		return nil, res, errors.New("body is not valid UTF-8")
	}
	var raws []json.RawMessage
	if trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &raws); err != nil {
			return nil, res, fmt.Errorf("body is not a JSON array: %v", err)
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(trimmed))
		sc.Buffer(make([]byte, 0, 64<<10), len(trimmed)+1)
		for sc.Scan() {
			if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
				raws = append(raws, json.RawMessage(bytes.Clone(line)))
			}
		}
	}
	if len(raws) > maxPosts {
		return nil, res, fmt.Errorf("%d posts in one request; send at most %d", len(raws), maxPosts)
	}
	out := make([]indexed, 0, len(raws))
	for i, raw := range raws {
		var rec earshot.PostRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			res.Errors = append(res.Errors, ItemError{Index: i, Error: "not a post object: " + err.Error()})
			continue
		}
		out = append(out, indexed{i, rec})
	}
	return out, res, nil
}
