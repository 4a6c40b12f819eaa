package earshot

import "context"

// Pinger is a store that can say whether it answers, for /readyz.
type Pinger interface {
	// Ping returns nil when the store answers a trivial request.
	Ping(ctx context.Context) error
}
