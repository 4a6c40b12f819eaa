package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/clip"
	"github.com/earshot/earshot/internal/netguard"
	"github.com/earshot/earshot/internal/redact"
	"github.com/earshot/earshot/internal/retryafter"
)

// Names of the parts a remotely scored Sentiment carries: the model's
// probability of each class, after LabelMap.
const (
	PartNegative = "remote_negative"
	PartNeutral  = "remote_neutral"
	PartPositive = "remote_positive"
)

// Errors a failed batch is put down to (see the logs), checked with
// errors.Is.
var (
	// ErrStatus: the server answered with a status other than 200.
	ErrStatus = errors.New("unexpected HTTP status")
	// ErrMalformed: the body could not be read as the API's answer.
	ErrMalformed = errors.New("malformed response")
	// ErrCount: the answer did not hold one result per text.
	ErrCount = errors.New("wrong number of results")
)

const (
	// maxTextBytes bounds each text sent; posts are hostile input and the
	// model truncates long ones anyway.
	maxTextBytes = 4096
	// maxBodyBytes bounds a response body read.
	maxBodyBytes = 16 << 20
	// backoffBase and backoffMax shape the delay before retry n:
	// backoffBase·2ⁿ, at most backoffMax; a Retry-After asking for more
	// than backoffMax ends the retries.
	backoffBase = 250 * time.Millisecond
	backoffMax  = 10 * time.Second
)

var _ earshot.Scorer = (*Scorer)(nil)

// Scorer scores texts with a remote model, falling back to a local Scorer
// for any batch the remote one fails. It is safe for concurrent use.
type Scorer struct {
	cfg      Config
	key      string
	endpoint string // with the credentials of the URL redacted, for logs
	target   string
	api      api
	labels   map[string]earshot.Label // lower-cased model label → label
	fallback earshot.Scorer
	client   *http.Client
	log      *slog.Logger
	sleep    func(context.Context, time.Duration) error

	requests, retries, batches, fallbacks, fallbackTexts atomic.Int64

	mu      sync.Mutex
	failing bool // in a failure streak: logged already
}

// Option changes a Scorer made by New.
type Option func(*Scorer)

// WithHTTPClient sets the HTTP client (default: a client with no overall
// timeout, Config.Timeout bounding each request, that refuses private
// addresses unless Config.AllowPrivateNetworks; see internal/netguard).
func WithHTTPClient(c *http.Client) Option { return func(s *Scorer) { s.client = c } }

// WithLogger sets the logger (default: slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(s *Scorer) { s.log = l } }

// WithSleep replaces the wait between retries; it must return early with
// ctx's error when ctx ends. Tests pass one that does not wait.
func WithSleep(f func(ctx context.Context, d time.Duration) error) Option {
	return func(s *Scorer) { s.sleep = f }
}

// New returns a Scorer for cfg. fallback scores the batches the remote
// model fails; with a nil fallback such a failure is returned as Score's
// error. New reads the API key (from api_key_file or api_key_env) but
// makes no network call.
func New(cfg Config, fallback earshot.Scorer, opts ...Option) (*Scorer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	key, err := cfg.key()
	if err != nil {
		return nil, err
	}
	s := &Scorer{
		cfg:      cfg,
		key:      key,
		fallback: fallback,
		labels:   make(map[string]earshot.Label, len(cfg.LabelMap)),
		client:   netguard.Client(cfg.AllowPrivateNetworks, 0),
		log:      slog.Default(),
		sleep:    sleepCtx,
	}
	for k, v := range cfg.LabelMap {
		s.labels[strings.ToLower(k)] = earshot.Label(v)
	}
	base := strings.TrimRight(cfg.URL, "/")
	switch cfg.API {
	case APITEI:
		s.api, s.target = tei{}, base+"/predict"
	case APIOpenAI:
		s.api, s.target = openAI{model: cfg.Model}, base+"/chat/completions"
	}
	u, _ := url.Parse(s.target) // validated above
	s.endpoint = redact.URL(u, redact.UserInfo|redact.Query)
	for _, o := range opts {
		o(s)
	}
	s.log = s.log.With("scorer", "remote", "api", cfg.API, "url", s.endpoint)
	return s, nil
}

// Stats counts what a Scorer did since New.
type Stats struct {
	// Requests is the HTTP requests sent, retries included.
	Requests int64 `json:"requests"`
	// Retries is the requests sent again after a 429 or 5xx.
	Retries int64 `json:"retries"`
	// Batches is the batches the remote model scored.
	Batches int64 `json:"batches"`
	// Fallbacks is the batches handed to the fallback scorer, and
	// FallbackTexts the texts in them.
	Fallbacks     int64 `json:"fallbacks"`
	FallbackTexts int64 `json:"fallback_texts"`
}

// Stats returns the counts so far.
func (s *Scorer) Stats() Stats {
	return Stats{
		Requests:      s.requests.Load(),
		Retries:       s.retries.Load(),
		Batches:       s.batches.Load(),
		Fallbacks:     s.fallbacks.Load(),
		FallbackTexts: s.fallbackTexts.Load(),
	}
}

// Score returns one Sentiment per text, in order. Texts go to the server
// in batches of Config.BatchSize, one request at a time; a batch the
// server fails (timeout, 429/5xx after the retries, another status, a
// malformed body, the wrong number of results) is scored by the fallback
// instead. Blank texts are neutral without asking anyone. If ctx ends,
// Score returns ctx's error and no sentiments.
func (s *Scorer) Score(ctx context.Context, texts []string) ([]earshot.Sentiment, error) {
	out := make([]earshot.Sentiment, len(texts))
	for lo := 0; lo < len(texts); lo += s.cfg.BatchSize {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("scoring texts: %w", err)
		}
		hi := min(lo+s.cfg.BatchSize, len(texts))
		if err := s.scoreBatch(ctx, out[lo:hi], texts[lo:hi]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scoreBatch fills out for texts, remotely or by the fallback.
func (s *Scorer) scoreBatch(ctx context.Context, out []earshot.Sentiment, texts []string) error {
	// Only non-blank texts are sent; idx maps each sent text to out.
	send := make([]string, 0, len(texts))
	idx := make([]int, 0, len(texts))
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			out[i] = earshot.Sentiment{Label: earshot.Neutral}
			continue
		}
		send = append(send, clip.String(t, maxTextBytes))
		idx = append(idx, i)
	}
	if len(send) == 0 {
		return nil
	}

	probs, err := s.remote(ctx, send)
	if err == nil {
		for j, p := range probs {
			out[idx[j]] = p
		}
		s.batches.Add(1)
		s.recovered()
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("scoring texts: %w", ctx.Err())
	}
	if s.fallback == nil {
		return fmt.Errorf("scoring texts remotely: %w", err)
	}
	s.failed(err, len(texts))
	local, ferr := s.fallback.Score(ctx, texts)
	if ferr != nil {
		return fmt.Errorf("scoring texts with the fallback: %w", ferr)
	}
	if len(local) != len(texts) {
		return fmt.Errorf("scoring texts with the fallback: %d results for %d texts", len(local), len(texts))
	}
	copy(out, local)
	return nil
}

// failed counts a fallback and logs the first of a streak.
func (s *Scorer) failed(err error, n int) {
	s.fallbacks.Add(1)
	s.fallbackTexts.Add(int64(n))
	s.mu.Lock()
	first := !s.failing
	s.failing = true
	s.mu.Unlock()
	if first {
		s.log.Warn("remote scorer failing; scoring with the fallback until it recovers", "err", err)
	} else {
		s.log.Debug("remote scorer still failing", "err", err, "texts", n)
	}
}

// recovered ends a failure streak.
func (s *Scorer) recovered() {
	s.mu.Lock()
	was := s.failing
	s.failing = false
	s.mu.Unlock()
	if was {
		s.log.Info("remote scorer recovered", "fallbacks", s.fallbacks.Load())
	}
}

// remote scores texts on the server, retrying 429 and 5xx answers.
func (s *Scorer) remote(ctx context.Context, texts []string) ([]earshot.Sentiment, error) {
	body, err := s.api.request(texts)
	if err != nil {
		return nil, s.redact(fmt.Errorf("encoding request: %w", err))
	}
	for attempt := 0; ; attempt++ {
		preds, retryAfter, err := s.post(ctx, body, len(texts))
		if err == nil {
			return s.sentiments(preds)
		}
		if retryAfter < 0 || attempt >= s.cfg.Retries || ctx.Err() != nil {
			return nil, err
		}
		wait := min(backoffBase<<attempt, backoffMax)
		if retryAfter > backoffMax {
			return nil, err
		}
		wait = max(wait, retryAfter)
		s.log.Debug("retrying remote scorer", "err", err, "wait", wait, "attempt", attempt+1)
		if err := s.sleep(ctx, wait); err != nil {
			return nil, err
		}
		s.retries.Add(1)
	}
}

// post sends one request. retryAfter is negative when the failure is not
// worth a retry, else the wait the server asked for (0 if it did not).
func (s *Scorer) post(ctx context.Context, body []byte, n int) (preds [][]prediction, retryAfter time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.target, bytes.NewReader(body))
	if err != nil {
		return nil, -1, s.redact(fmt.Errorf("building request: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if s.key != "" {
		req.Header.Set("Authorization", "Bearer "+s.key)
	}
	s.requests.Add(1)
	resp, err := s.client.Do(req)
	if err != nil {
		// A url.Error names the URL, which may hold credentials.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, -1, s.redact(fmt.Errorf("posting to %s: %w", s.endpoint, err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return nil, -1, s.redact(fmt.Errorf("reading response: %w", err))
	}
	if resp.StatusCode != http.StatusOK {
		err := s.redact(fmt.Errorf("%w %d: %s", ErrStatus, resp.StatusCode, snippet(data)))
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			wait, _ := retryafter.Parse(resp.Header.Get("Retry-After"), time.Now())
			return nil, wait, err
		}
		return nil, -1, err
	}
	if len(data) > maxBodyBytes {
		return nil, -1, fmt.Errorf("%w: body over %d bytes", ErrMalformed, maxBodyBytes)
	}
	preds, err = s.api.response(data, n)
	if err != nil {
		return nil, -1, s.redact(err)
	}
	if len(preds) != n {
		return nil, -1, fmt.Errorf("%w: %d for %d texts", ErrCount, len(preds), n)
	}
	return preds, 0, nil
}

// sentiments turns each text's predictions into a Sentiment: the class
// probabilities summed per Earshot label (renormalised), score p_pos -
// p_neg, label the most probable class.
func (s *Scorer) sentiments(preds [][]prediction) ([]earshot.Sentiment, error) {
	out := make([]earshot.Sentiment, len(preds))
	for i, ps := range preds {
		var neg, neu, pos float64
		var seen [3]bool
		for _, p := range ps {
			if p.Score < 0 || p.Score > 1 || p.Score != p.Score {
				return nil, fmt.Errorf("%w: result %d: probability %v outside [0, 1]", ErrMalformed, i, p.Score)
			}
			switch s.labels[strings.ToLower(p.Label)] {
			case earshot.Negative:
				neg += p.Score
				seen[0] = true
			case earshot.Neutral:
				neu += p.Score
				seen[1] = true
			case earshot.Positive:
				pos += p.Score
				seen[2] = true
			}
		}
		total := neg + neu + pos
		if total <= 0 {
			return nil, fmt.Errorf("%w: result %d: no known label (see label_map)", ErrMalformed, i)
		}
		neg, neu, pos = neg/total, neu/total, pos/total
		st := earshot.Sentiment{
			Score: max(-1, min(1, pos-neg)),
			Parts: make(map[string]float64, 3),
		}
		switch {
		case seen[0] && neg >= neu && neg >= pos:
			st.Label = earshot.Negative
		case seen[2] && pos >= neu:
			st.Label = earshot.Positive
		default:
			st.Label = earshot.Neutral
		}
		for j, part := range [3]string{PartNegative, PartNeutral, PartPositive} {
			if seen[j] {
				st.Parts[part] = [3]float64{neg, neu, pos}[j]
			}
		}
		out[i] = st
	}
	return out, nil
}

// redact returns err with every occurrence of the API key replaced; the
// original stays reachable by errors.Is and errors.As.
func (s *Scorer) redact(err error) error {
	if err == nil || s.key == "" || !strings.Contains(err.Error(), s.key) {
		return err
	}
	return &redactedError{msg: redact.Secrets(err.Error(), "[REDACTED]", s.key), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// snippet is the start of an error body, for the error message.
func snippet(b []byte) string {
	const n = 200
	s := strings.TrimSpace(clip.String(string(b), n))
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	if len(b) > n {
		s += "..."
	}
	return strconv.Quote(s)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
