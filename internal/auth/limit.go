package auth

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/earshot/earshot/internal/httpjson"
)

// maxKeys bounds the buckets a Limiter keeps; beyond it, full buckets (of
// keys that have been quiet) are dropped.
const maxKeys = 10_000

// Limiter is a token bucket per key (a credential, or a client address for
// sign-in attempts): rate requests a second on average, bursts of burst.
// A nil *Limiter allows everything.
type Limiter struct {
	rate  rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewLimiter returns a limiter of perSecond requests a second per key,
// with bursts of burst (at least 1). perSecond <= 0 means no limit: nil.
func NewLimiter(perSecond float64, burst int) *Limiter {
	if perSecond <= 0 {
		return nil
	}
	return &Limiter{rate: rate.Limit(perSecond), burst: max(burst, 1), now: time.Now, buckets: map[string]*rate.Limiter{}}
}

// Wait reports how long key must wait before its next request: 0 when it
// may go now (and the request is counted).
func (l *Limiter) Wait(key string) time.Duration {
	if l == nil {
		return 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxKeys {
			l.evict(now)
		}
		b = rate.NewLimiter(l.rate, l.burst)
		l.buckets[key] = b
	}
	res := b.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// evict drops the buckets that are full again: their keys have been
// quiet long enough that a new bucket is the same. If none is, it drops
// them all rather than grow without bound.
func (l *Limiter) evict(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxKeys {
		clear(l.buckets)
	}
}

// Allow counts a request of key. When key is over its limit it answers 429
// with Retry-After (whole seconds, rounded up) and returns false: the
// handler then returns at once.
func (l *Limiter) Allow(w http.ResponseWriter, key string) bool {
	d := l.Wait(key)
	if d <= 0 {
		return true
	}
	secs := int(math.Ceil(d.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	httpjson.Error(w, http.StatusTooManyRequests, fmt.Sprintf("rate limit exceeded for this credential; retry in %d s", secs))
	return false
}
