package notify

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/netguard"
	"github.com/earshot/earshot/internal/redact"
)

// Options are what a notifier takes from its surroundings.
type Options struct {
	// Client sends HTTP requests; nil means a client of the package's own.
	// Notifiers bound each request with their own timeout.
	Client *http.Client
	// Logger gets the notifier's logs; nil discards them.
	Logger *slog.Logger
	// Now is the wall clock (tests fake it); nil means time.Now.
	Now func() time.Time
	// Threads keeps what a notifier needs to answer in an episode's
	// conversation (Slack's message ts); nil keeps it in memory.
	Threads earshot.ThreadStore
}

// HTTPClient returns o.Client or a shared default that refuses private
// addresses (see HTTPClientFor).
func (o Options) HTTPClient() *http.Client { return o.HTTPClientFor(false) }

// HTTPClientFor returns o.Client, or else a shared default: one that
// refuses loopback, private, link-local and metadata addresses at dial
// time (internal/netguard), or, for an integration with
// allow_private_networks: true, one that does not.
func (o Options) HTTPClientFor(allowPrivate bool) *http.Client {
	if o.Client != nil {
		return o.Client
	}
	if allowPrivate {
		return privateClient
	}
	return defaultClient
}

// Log returns o.Logger or a logger that discards.
func (o Options) Log() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Clock returns o.Now or time.Now.
func (o Options) Clock() func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}

var defaultClient, privateClient = newClient(false), newClient(true)

func newClient(allowPrivate bool) *http.Client {
	// Notifiers set per-request deadlines; this bounds a misbehaving one.
	c := netguard.Client(allowPrivate, 2*time.Minute)
	// Never follow a redirect to somewhere the secret was not meant for.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// ResolveFunc turns a secret reference (env:NAME, file:PATH or a literal)
// into the secret. Errors name the reference's variable or file, never the
// value.
type ResolveFunc func(ref string) (string, error)

// CheckTimeout checks a notifier's timeout key (0 is the default); key
// prefixes the key it names.
func CheckTimeout(key string, timeout time.Duration) error {
	if timeout < 0 {
		return fmt.Errorf("%s.timeout: must not be negative", key)
	}
	return nil
}

// Resolve resolves ref with f; nil f keeps ref as the literal secret.
// Empty references stay empty. key names the config key in errors.
func (f ResolveFunc) Resolve(key, ref string) (string, error) {
	if ref == "" || f == nil {
		return ref, nil
	}
	v, err := f(ref)
	if err != nil {
		return "", fmt.Errorf("%s: %w", key, err)
	}
	return v, nil
}

// Resolved reports whether a is over at time at: a resolution alert, or
// one whose EndsAt has passed.
func Resolved(a earshot.Alert, at time.Time) bool {
	return a.Kind == earshot.AlertResolved || (!a.EndsAt.IsZero() && !a.EndsAt.After(at))
}

// Split returns n's firing and resolved alerts, each in n's order.
func Split(n earshot.Notification) (firing, resolved []earshot.Alert) {
	for _, a := range n.Alerts {
		if Resolved(a, n.At) {
			resolved = append(resolved, a)
		} else {
			firing = append(firing, a)
		}
	}
	return firing, resolved
}

// Status is "firing" when any alert of n is, else "resolved".
func Status(n earshot.Notification) string {
	if f, _ := Split(n); len(f) > 0 {
		return "firing"
	}
	return "resolved"
}

// KindTitle names an alert kind for people.
func KindTitle(k earshot.AlertKind) string {
	switch k {
	case earshot.AlertSpike:
		return "Spike"
	case earshot.AlertUnreported:
		return "Possible unreported incident"
	case earshot.AlertResolved:
		return "Resolved"
	case earshot.AlertGoingDark:
		return "Going dark"
	}
	if k == "" {
		return "Alert"
	}
	return string(k)
}

// WatchName is the alert's watch, or "all posts".
func WatchName(a earshot.Alert) string {
	if a.Watch != "" {
		return a.Watch
	}
	if w := a.Labels["watch"]; w != "" {
		return w
	}
	return "all posts"
}

// Title is a one-line heading for a notification: what, on which watch,
// whether it is over, and how many alerts when more than one.
func Title(n earshot.Notification) string {
	firing, resolved := Split(n)
	var b strings.Builder
	all := append(append([]earshot.Alert(nil), firing...), resolved...)
	if len(firing) == 0 {
		b.WriteString("Resolved: ")
	}
	if len(all) == 0 {
		b.WriteString("Earshot alert")
		return b.String()
	}
	first := all[0]
	if len(all) == 1 {
		fmt.Fprintf(&b, "%s · %s", KindTitle(first.Kind), WatchName(first))
		return b.String()
	}
	watches := map[string]bool{}
	kinds := map[earshot.AlertKind]bool{}
	for _, a := range all {
		watches[WatchName(a)] = true
		kinds[a.Kind] = true
	}
	what := "alerts"
	if len(kinds) == 1 {
		what = strings.ToLower(KindTitle(first.Kind)) + " alerts"
	}
	fmt.Fprintf(&b, "%d %s", len(all), what)
	if len(watches) == 1 {
		fmt.Fprintf(&b, " · %s", WatchName(first))
	}
	if len(firing) > 0 && len(resolved) > 0 {
		fmt.Fprintf(&b, " (%d resolved)", len(resolved))
	}
	return b.String()
}

// Incident says which incident explains a, or "none".
func Incident(a earshot.Alert) string {
	if a.IncidentID == "" {
		return "none"
	}
	return fmt.Sprintf("%s (confidence %.2f)", a.IncidentID, a.Confidence)
}

// AlertIDs lists the IDs of n's alerts.
func AlertIDs(n earshot.Notification) []string {
	ids := make([]string, len(n.Alerts))
	for i, a := range n.Alerts {
		ids[i] = a.ID
	}
	return ids
}

// Truncate cuts s to at most n runes, marking a cut with "…".
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n == 1 {
		return "…"
	}
	return string(r[:n-1]) + "…"
}

// OneLine folds runs of white space (newlines included) to one space.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// RedactURL keeps a URL's scheme and host and hides the rest (user info,
// path, query), where webhook tokens live: "https://hooks.slack.com/[redacted]".
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "[redacted URL]"
	}
	return redact.URL(u, redact.AllButHost)
}

// redactedError is an error whose text has had its secrets removed; it
// keeps no cause, so no errors.As can reach an unredacted one.
type redactedError struct {
	msg        string
	retryAfter time.Duration
}

func (e *redactedError) Error() string { return e.msg }

// Errorf formats an error and removes the secrets from its text. The
// result wraps nothing: callers classify before building it.
func Errorf(secrets []string, format string, args ...any) error {
	return &redactedError{msg: redact.Secrets(fmt.Sprintf(format, args...), "[redacted]", secrets...)}
}

// WithRetryAfter marks err as one to retry no sooner than d (a 429's or
// 503's Retry-After).
func WithRetryAfter(err error, d time.Duration) error {
	if err == nil || d <= 0 {
		return err
	}
	return &retryAfterError{err: err, after: d}
}

type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter returns the wait a failed notifier asked for, if any.
func RetryAfter(err error) (time.Duration, bool) {
	var ra *retryAfterError
	if errors.As(err, &ra) {
		return ra.after, true
	}
	return 0, false
}
