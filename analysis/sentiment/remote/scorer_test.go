package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

const testKey = "sk-test-5ecret-Key-0123456789"

// fakeLocal is the fallback: it labels everything neutral with a part
// that shows who scored it.
type fakeLocal struct{ calls atomic.Int64 }

func (f *fakeLocal) Score(ctx context.Context, texts []string) ([]earshot.Sentiment, error) {
	f.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]earshot.Sentiment, len(texts))
	for i := range out {
		out[i] = earshot.Sentiment{Label: earshot.Neutral, Parts: map[string]float64{"local": 1}}
	}
	return out, nil
}

func fromLocal(s earshot.Sentiment) bool { _, ok := s.Parts["local"]; return ok }

// harness is a Scorer against a test server, with its log and sleeps
// recorded.
type harness struct {
	s      *Scorer
	local  *fakeLocal
	logs   *bytes.Buffer
	mu     sync.Mutex
	sleeps []time.Duration
}

func newHarness(t *testing.T, h http.HandlerFunc, edit func(*Config)) *harness {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := DefaultConfig()
	cfg.URL = srv.URL
	cfg.APIKey = testKey
	if edit != nil {
		edit(&cfg)
	}
	hs := &harness{local: &fakeLocal{}, logs: new(bytes.Buffer)}
	log := slog.New(slog.NewTextHandler(hs.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(cfg, hs.local, WithLogger(log), WithHTTPClient(srv.Client()),
		WithSleep(func(ctx context.Context, d time.Duration) error {
			hs.mu.Lock()
			hs.sleeps = append(hs.sleeps, d)
			hs.mu.Unlock()
			return ctx.Err()
		}))
	if err != nil {
		t.Fatal(err)
	}
	hs.s = s
	return hs
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func serve(t *testing.T, status int, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}
}

// teiServer answers /predict like text-embeddings-inference, labelling a
// text by its first word ("bad", "good", anything else neutral), and
// records the batches it saw.
type teiServer struct {
	mu      sync.Mutex
	batches [][]string
	auth    []string
}

func (ts *teiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Inputs    [][]string `json:"inputs"`
		Truncate  bool       `json:"truncate"`
		RawScores *bool      `json:"raw_scores"`
	}
	if r.Method != http.MethodPost || r.URL.Path != "/predict" {
		http.Error(w, `{"error":"not found","error_type":"validation"}`, http.StatusNotFound)
		return
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.RawScores == nil || *req.RawScores {
		http.Error(w, `{"error":"bad request","error_type":"validation"}`, http.StatusUnprocessableEntity)
		return
	}
	var texts []string
	out := make([][]prediction, len(req.Inputs))
	for i, in := range req.Inputs {
		if len(in) != 1 {
			http.Error(w, `{"error":"pairs not expected","error_type":"validation"}`, http.StatusUnprocessableEntity)
			return
		}
		texts = append(texts, in[0])
		p := map[string]float64{"negative": 0.1, "neutral": 0.8, "positive": 0.1}
		switch strings.Fields(in[0] + " x")[0] {
		case "bad":
			p = map[string]float64{"negative": 0.9, "neutral": 0.07, "positive": 0.03}
		case "good":
			p = map[string]float64{"negative": 0.05, "neutral": 0.15, "positive": 0.8}
		}
		for _, l := range []string{"positive", "neutral", "negative"} {
			out[i] = append(out[i], prediction{Label: l, Score: p[l]})
		}
	}
	ts.mu.Lock()
	ts.batches = append(ts.batches, texts)
	ts.auth = append(ts.auth, r.Header.Get("Authorization"))
	ts.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestTEISuccess(t *testing.T) {
	var got teiRequest
	var auth, path string
	h := newHarness(t, func(w http.ResponseWriter, r *http.Request) {
		auth, path = r.Header.Get("Authorization"), r.URL.Path
		json.NewDecoder(r.Body).Decode(&got)
		serve(t, 200, fixture(t, "tei_predict_batch.json"))(w, r)
	}, nil)

	res, err := h.s.Score(t.Context(), []string{"the site is down", "thanks, fixed!", "new release today"})
	if err != nil {
		t.Fatal(err)
	}
	if path != "/predict" || auth != "Bearer "+testKey {
		t.Errorf("request to %q with Authorization %q", path, auth)
	}
	if len(got.Inputs) != 3 || got.Inputs[1][0] != "thanks, fixed!" || !got.Truncate || got.RawScores {
		t.Errorf("request body = %+v", got)
	}
	want := []struct {
		label earshot.Label
		score float64
	}{
		{earshot.Negative, 0.0107 - 0.9412},
		{earshot.Positive, 0.9733 - 0.0066},
		{earshot.Neutral, 0.1530 - 0.2350},
	}
	for i, w := range want {
		if res[i].Label != w.label || !near(res[i].Score, w.score) {
			t.Errorf("result %d = %s %.4f, want %s %.4f", i, res[i].Label, res[i].Score, w.label, w.score)
		}
	}
	if p := res[0].Parts; !near(p[PartNegative], 0.9412) || !near(p[PartNeutral], 0.0481) || !near(p[PartPositive], 0.0107) {
		t.Errorf("parts = %v", p)
	}
	if st := h.s.Stats(); st != (Stats{Requests: 1, Batches: 1}) {
		t.Errorf("stats = %+v", st)
	}
}

func TestTEILabelMap(t *testing.T) {
	h := newHarness(t, serve(t, 200, fixture(t, "tei_predict_binary_labels.json")), func(c *Config) {
		c.LabelMap = map[string]string{"LABEL_0": "negative", "LABEL_1": "positive"}
	})
	res, err := h.s.Score(t.Context(), []string{"works great"})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Label != earshot.Positive || !near(res[0].Score, 0.6) {
		t.Errorf("got %+v, want positive 0.6", res[0])
	}
	if _, ok := res[0].Parts[PartNeutral]; ok || len(res[0].Parts) != 2 {
		t.Errorf("parts = %v, want only the two classes the model has", res[0].Parts)
	}
}

func TestOpenAISuccess(t *testing.T) {
	var req chatRequest
	var auth, path string
	h := newHarness(t, func(w http.ResponseWriter, r *http.Request) {
		auth, path = r.Header.Get("Authorization"), r.URL.Path
		json.NewDecoder(r.Body).Decode(&req)
		serve(t, 200, fixture(t, "openai_chat_completion.json"))(w, r)
	}, func(c *Config) {
		c.API = APIOpenAI
		c.URL += "/v1/"
		c.Model = "sentiment-small"
	})

	res, err := h.s.Score(t.Context(), []string{"the app is broken", "love it", "what time is the launch"})
	if err != nil {
		t.Fatal(err)
	}
	if path != "/v1/chat/completions" || auth != "Bearer "+testKey {
		t.Errorf("request to %q with Authorization %q", path, auth)
	}
	if req.Model != "sentiment-small" || len(req.Messages) != 2 || req.Messages[0].Role != "system" ||
		!strings.Contains(req.Messages[1].Content, `{"id":1,"text":"love it"}`) || req.ResponseFormat["type"] != "json_object" {
		t.Errorf("request = %+v", req)
	}
	want := []struct {
		label earshot.Label
		score float64
	}{
		{earshot.Negative, 0.05 - 0.9},
		{earshot.Positive, 0.8 - 0.1},
		{earshot.Neutral, 0},
	}
	for i, w := range want {
		if res[i].Label != w.label || !near(res[i].Score, w.score) {
			t.Errorf("result %d = %s %.3f, want %s %.3f", i, res[i].Label, res[i].Score, w.label, w.score)
		}
	}
}

func TestBatching(t *testing.T) {
	for _, tc := range []struct{ n, batch, requests int }{
		{1, 3, 1}, {3, 3, 1}, {10, 3, 4}, {10, 1, 10}, {7, 32, 1},
	} {
		t.Run(fmt.Sprintf("%d_by_%d", tc.n, tc.batch), func(t *testing.T) {
			ts := &teiServer{}
			h := newHarness(t, ts.ServeHTTP, func(c *Config) { c.BatchSize = tc.batch })
			texts := make([]string, tc.n)
			for i := range texts {
				texts[i] = [3]string{"bad", "good", "meh"}[i%3] + fmt.Sprintf(" text %d", i)
			}
			res, err := h.s.Score(t.Context(), texts)
			if err != nil {
				t.Fatal(err)
			}
			if len(ts.batches) != tc.requests {
				t.Errorf("%d requests, want %d", len(ts.batches), tc.requests)
			}
			var sent []string
			for _, b := range ts.batches {
				if len(b) > tc.batch {
					t.Errorf("batch of %d, want at most %d", len(b), tc.batch)
				}
				sent = append(sent, b...)
			}
			if strings.Join(sent, "|") != strings.Join(texts, "|") {
				t.Errorf("sent %q, want %q", sent, texts)
			}
			for i, r := range res {
				want := [3]earshot.Label{earshot.Negative, earshot.Positive, earshot.Neutral}[i%3]
				if r.Label != want || fromLocal(r) {
					t.Errorf("text %d: %+v, want %s from the remote", i, r, want)
				}
			}
		})
	}
}

func TestBlankTextsNotSent(t *testing.T) {
	ts := &teiServer{}
	h := newHarness(t, ts.ServeHTTP, nil)
	res, err := h.s.Score(t.Context(), []string{"  ", "bad news", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.batches) != 1 || len(ts.batches[0]) != 1 {
		t.Errorf("batches = %q, want only the non-blank text", ts.batches)
	}
	if res[0].Label != earshot.Neutral || res[1].Label != earshot.Negative || res[2].Label != earshot.Neutral {
		t.Errorf("results = %+v", res)
	}
	if res, _ := h.s.Score(t.Context(), nil); len(res) != 0 {
		t.Errorf("Score(nil) = %v", res)
	}
}

func TestFallback(t *testing.T) {
	teiBody := fixture(t, "tei_predict_batch.json")
	for _, tc := range []struct {
		name    string
		api     string
		handler http.HandlerFunc
		want    error
	}{
		{"tei malformed JSON", APITEI, serve(t, 200, []byte(`[[{"score": 0.9, "label": "neg`)), ErrMalformed},
		{"tei not a list", APITEI, serve(t, 200, []byte(`{"error":"oops"}`)), ErrMalformed},
		{"tei too few results", APITEI, serve(t, 200, []byte(`[[{"score":1,"label":"negative"}]]`)), ErrCount},
		{"tei too many results", APITEI, serve(t, 200, teiBody), ErrCount},
		{"tei unknown labels", APITEI, serve(t, 200, []byte(`[[{"score":1,"label":"joy"}],[{"score":1,"label":"joy"}]]`)), ErrMalformed},
		{"tei probability out of range", APITEI, serve(t, 200, []byte(`[[{"score":7,"label":"negative"}],[{"score":1,"label":"positive"}]]`)), ErrMalformed},
		{"tei 400 not retried", APITEI, serve(t, 400, []byte(`{"error":"bad","error_type":"validation"}`)), ErrStatus},
		{"tei 503 after retries", APITEI, serve(t, 503, []byte(`{"error":"backend","error_type":"backend"}`)), ErrStatus},
		{"openai malformed JSON", APIOpenAI, serve(t, 200, []byte(`{"choices": [`)), ErrMalformed},
		{"openai answer not JSON", APIOpenAI, serve(t, 200, chat(`Sure! Here are the labels: negative, positive`, "stop")), ErrMalformed},
		{"openai cut off", APIOpenAI, serve(t, 200, chat(`{"results":[{"id":0,"label":"neg`, "length")), ErrMalformed},
		{"openai wrong count", APIOpenAI, serve(t, 200, chat(`{"results":[{"id":0,"label":"negative"}]}`, "stop")), ErrCount},
		{"openai repeated id", APIOpenAI, serve(t, 200, chat(`{"results":[{"id":0,"label":"negative"},{"id":0,"label":"positive"}]}`, "stop")), ErrCount},
		{"openai no choices", APIOpenAI, serve(t, 200, []byte(`{"id":"x","object":"chat.completion","choices":[]}`)), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.handler, func(c *Config) {
				c.API, c.Model = tc.api, "m"
			})
			res, err := h.s.Score(t.Context(), []string{"one", "two"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 2 || !fromLocal(res[0]) || !fromLocal(res[1]) {
				t.Errorf("results = %+v, want both from the fallback", res)
			}
			if st := h.s.Stats(); st.Fallbacks != 1 || st.FallbackTexts != 2 || st.Batches != 0 {
				t.Errorf("stats = %+v", st)
			}

			// Without a fallback the cause comes back as the error.
			s, err := New(h.s.cfg, nil, WithHTTPClient(h.s.client), WithSleep(h.s.sleep),
				WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Score(t.Context(), []string{"one", "two"}); !errors.Is(err, tc.want) {
				t.Errorf("error = %v, want %v", err, tc.want)
			}
		})
	}
}

func chat(content, finish string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1764000000, "model": "m",
		"choices": []any{map[string]any{
			"index": 0, "message": map[string]any{"role": "assistant", "content": content}, "finish_reason": finish,
		}},
	})
	return b
}

func TestTimeoutFallsBack(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	h := newHarness(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}, func(c *Config) { c.Timeout = 20 * time.Millisecond })

	res, err := h.s.Score(t.Context(), []string{"slow"})
	if err != nil {
		t.Fatal(err)
	}
	if !fromLocal(res[0]) {
		t.Errorf("result %+v, want the fallback's", res[0])
	}
	if st := h.s.Stats(); st.Fallbacks != 1 || st.Requests != 1 || st.Retries != 0 {
		t.Errorf("stats = %+v, want one request and no retry on a timeout", st)
	}
	if !strings.Contains(h.logs.String(), "deadline exceeded") {
		t.Errorf("log does not say why:\n%s", h.logs)
	}
}

func TestRetry(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		header    string
		body      []byte
		wantSleep time.Duration
	}{
		{"500 then success", 500, "", []byte(`{"error":"backend","error_type":"backend"}`), backoffBase},
		{"429 with Retry-After", 429, "3", fixture(t, "tei_error_429.json"), 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := &teiServer{}
			var calls atomic.Int64
			h := newHarness(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					if tc.header != "" {
						w.Header().Set("Retry-After", tc.header)
					}
					serve(t, tc.status, tc.body)(w, r)
					return
				}
				ts.ServeHTTP(w, r)
			}, nil)
			res, err := h.s.Score(t.Context(), []string{"good morning"})
			if err != nil {
				t.Fatal(err)
			}
			if res[0].Label != earshot.Positive || fromLocal(res[0]) {
				t.Errorf("result %+v, want positive from the remote", res[0])
			}
			if st := h.s.Stats(); st != (Stats{Requests: 2, Retries: 1, Batches: 1}) {
				t.Errorf("stats = %+v", st)
			}
			if len(h.sleeps) != 1 || h.sleeps[0] != tc.wantSleep {
				t.Errorf("slept %v, want [%v]", h.sleeps, tc.wantSleep)
			}
		})
	}
}

func TestRetriesBounded(t *testing.T) {
	var calls atomic.Int64
	h := newHarness(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}, func(c *Config) { c.Retries = 3 })
	if _, err := h.s.Score(t.Context(), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 4 {
		t.Errorf("%d requests, want 1 + 3 retries", calls.Load())
	}
	want := []time.Duration{backoffBase, 2 * backoffBase, 4 * backoffBase}
	if fmt.Sprint(h.sleeps) != fmt.Sprint(want) {
		t.Errorf("slept %v, want %v", h.sleeps, want)
	}
	if st := h.s.Stats(); st.Fallbacks != 1 || st.Retries != 3 {
		t.Errorf("stats = %+v", st)
	}
}

func TestKeyNeverLeaks(t *testing.T) {
	// The server echoes the key back, as some do in their error messages.
	var auth atomic.Value
	echo := func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		body := strings.ReplaceAll(string(fixture(t, "openai_error_401.json")), "KEY",
			strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		serve(t, 401, []byte(body))(w, r)
	}
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(testKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, echo, func(c *Config) {
		c.API, c.Model = APIOpenAI, "m"
		c.APIKey, c.APIKeyFile = "", keyFile
	})

	for range 3 {
		if _, err := h.s.Score(t.Context(), []string{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if auth.Load() != "Bearer "+testKey {
		t.Errorf("Authorization = %q", auth.Load())
	}
	logs := h.logs.String()
	if strings.Contains(logs, testKey) {
		t.Errorf("log holds the key:\n%s", logs)
	}
	if !strings.Contains(logs, "[REDACTED]") || !strings.Contains(logs, "401") {
		t.Errorf("log does not show the redacted cause:\n%s", logs)
	}

	s, err := New(h.s.cfg, nil, WithHTTPClient(h.s.client), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Score(t.Context(), []string{"x"})
	if err == nil || strings.Contains(err.Error(), testKey) || !errors.Is(err, ErrStatus) {
		t.Errorf("error = %v, want ErrStatus without the key", err)
	}

	// Nor does a key in the URL show in errors.
	cfg := DefaultConfig()
	cfg.URL = "http://user:" + testKey + "@127.0.0.1:1/?token=" + testKey
	cfg.Timeout = time.Second
	s, err = New(cfg, nil, WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Score(t.Context(), []string{"x"}); err == nil || strings.Contains(err.Error(), testKey) {
		t.Errorf("error = %v, want one without the key", err)
	}
}

func TestLogsOncePerStreak(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	ts := &teiServer{}
	h := newHarness(t, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			http.Error(w, "nope", http.StatusBadRequest)
			return
		}
		ts.ServeHTTP(w, r)
	}, func(c *Config) { c.BatchSize = 1 })

	count := func() int { return strings.Count(h.logs.String(), "level=WARN") }
	h.s.Score(t.Context(), []string{"a", "b", "c"})
	if n := count(); n != 1 {
		t.Errorf("%d warnings after one streak of 3 failures, want 1:\n%s", n, h.logs)
	}
	fail.Store(false)
	h.s.Score(t.Context(), []string{"a"})
	if !strings.Contains(h.logs.String(), "remote scorer recovered") {
		t.Errorf("recovery not logged:\n%s", h.logs)
	}
	fail.Store(true)
	h.s.Score(t.Context(), []string{"a", "b"})
	if n := count(); n != 2 {
		t.Errorf("%d warnings after two streaks, want 2", n)
	}
	if st := h.s.Stats(); st.Fallbacks != 5 || st.Batches != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestContextCancelled(t *testing.T) {
	t.Run("before", func(t *testing.T) {
		ts := &teiServer{}
		h := newHarness(t, ts.ServeHTTP, nil)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := h.s.Score(ctx, []string{"a"}); !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
		if len(ts.batches) != 0 || h.local.calls.Load() != 0 {
			t.Errorf("scored anyway")
		}
	})
	t.Run("during request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		release := make(chan struct{})
		defer close(release)
		h := newHarness(t, func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // the server notices a gone client only after the body
			cancel()
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}, nil)
		if _, err := h.s.Score(ctx, []string{"a"}); !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
		if h.local.calls.Load() != 0 || h.s.Stats().Fallbacks != 0 {
			t.Errorf("fell back on a cancelled context")
		}
	})
	t.Run("during backoff", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		h := newHarness(t, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}, nil)
		s, err := New(h.s.cfg, h.local, WithHTTPClient(h.s.client), WithLogger(slog.New(slog.DiscardHandler)),
			WithSleep(func(ctx context.Context, d time.Duration) error {
				cancel()
				<-ctx.Done()
				return ctx.Err()
			}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Score(ctx, []string{"a"}); !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
		if h.local.calls.Load() != 0 || s.Stats().Requests != 1 {
			t.Errorf("fell back or retried on a cancelled context: %+v", s.Stats())
		}
	})
}

func TestConcurrentScore(t *testing.T) {
	ts := &teiServer{}
	h := newHarness(t, ts.ServeHTTP, func(c *Config) { c.BatchSize = 2 })
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			texts := []string{fmt.Sprintf("bad %d", i), "good", "meh"}
			res, err := h.s.Score(t.Context(), texts)
			if err != nil || res[0].Label != earshot.Negative || res[1].Label != earshot.Positive {
				t.Errorf("goroutine %d: %v %+v", i, err, res)
			}
		})
	}
	wg.Wait()
	if st := h.s.Stats(); st.Batches != 8 {
		t.Errorf("stats = %+v", st)
	}
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig: %v", err)
	}
	for _, tc := range []struct {
		key  string
		edit func(*Config)
	}{
		{"url", func(c *Config) { c.URL = "" }},
		{"url", func(c *Config) { c.URL = "ftp://host" }},
		{"url", func(c *Config) { c.URL = "localhost:8080" }},
		{"api", func(c *Config) { c.API = "grpc" }},
		{"model", func(c *Config) { c.API = APIOpenAI }},
		{"api_key", func(c *Config) { c.APIKey, c.APIKeyEnv = "k", "KEY" }},
		{"timeout", func(c *Config) { c.Timeout = 0 }},
		{"batch_size", func(c *Config) { c.BatchSize = 0 }},
		{"batch_size", func(c *Config) { c.BatchSize = 5000 }},
		{"retries", func(c *Config) { c.Retries = -1 }},
		{"label_map", func(c *Config) { c.LabelMap = nil }},
		{"label_map", func(c *Config) { c.LabelMap = map[string]string{"LABEL_0": "angry"} }},
	} {
		cfg := DefaultConfig()
		tc.edit(&cfg)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.key+":") && !strings.Contains(err.Error(), tc.key+",") {
			t.Errorf("%s: Validate() = %v, want an error naming %s", tc.key, err, tc.key)
		}
		if _, err := New(cfg, nil); err == nil {
			t.Errorf("%s: New accepted an invalid config", tc.key)
		}
	}
}

func TestAPIKeySources(t *testing.T) {
	t.Setenv("EARSHOT_TEST_REMOTE_KEY", " "+testKey+" ")
	cfg := DefaultConfig()
	cfg.APIKeyEnv = "EARSHOT_TEST_REMOTE_KEY"
	s, err := New(cfg, nil)
	if err != nil || s.key != testKey {
		t.Errorf("from env: %v, key %q", err, s.key)
	}

	cfg = DefaultConfig()
	cfg.APIKeyEnv = "EARSHOT_TEST_REMOTE_KEY_UNSET"
	if _, err := New(cfg, nil); err == nil || !strings.Contains(err.Error(), "api_key_env") {
		t.Errorf("unset env: %v", err)
	}

	cfg = DefaultConfig()
	cfg.APIKeyFile = filepath.Join(t.TempDir(), "missing")
	if _, err := New(cfg, nil); err == nil || !strings.Contains(err.Error(), "api_key_file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestStripFence(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":1}`:                 `{"a":1}`,
		"```json\n{\"a\":1}\n```": `{"a":1}`,
		"```\n{\"a\":1}\n```":     `{"a":1}`,
		" ```{\"a\":1}``` ":       `{"a":1}`,
		"\n```JSON\n[1]\n```\n\n": `[1]`,
	} {
		if got := stripFence(in); got != want {
			t.Errorf("stripFence(%q) = %q, want %q", in, got, want)
		}
	}
}

// Without allow_private_networks the scorer's own client refuses a model
// server on a loopback address (the batch falls back to the local
// scorer, and the server is never reached); with it, the server answers.
func TestRefusesPrivateModelServer(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[[{"label":"negative","score":0.9}]]`)
	}))
	defer srv.Close()
	for _, allow := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.URL, cfg.APIKey, cfg.API, cfg.Retries, cfg.AllowPrivateNetworks = srv.URL, testKey, "tei", 0, allow
		s, err := New(cfg, &fakeLocal{}, WithLogger(slog.New(slog.DiscardHandler)))
		if err != nil {
			t.Fatal(err)
		}
		hits = 0
		got, err := s.Score(t.Context(), []string{"down again"})
		if err != nil || len(got) != 1 {
			t.Fatalf("allow %v: %v, %v", allow, got, err)
		}
		if local := fromLocal(got[0]); local == allow || (hits > 0) != allow {
			t.Errorf("allow_private_networks %v: scored locally %v, server reached %d times", allow, local, hits)
		}
	}
}
