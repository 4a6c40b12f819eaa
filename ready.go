package earshot

import "context"

// Pinger says whether a store answers, for /readyz.
type Pinger interface {
	// Ping returns nil when the store answers a trivial request.
	Ping(ctx context.Context) error
}
