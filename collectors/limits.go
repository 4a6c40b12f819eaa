package collectors

import "time"

// Limits are the keys that bound each request of a collector, max_bytes
// and timeout, named, documented and defaulted alike in every collector.
// A collector's Config embeds them inline, where the two keys stand among
// its own:
//
//	collectors.Limits `yaml:",inline"`
//
// and its DefaultConfig sets Limits: collectors.DefaultLimits().
// DecodeConfig lists their keys with the collector's own.
type Limits struct {
	// MaxBytes caps the size of one response body; a larger one is an
	// error. Default 10 MiB.
	MaxBytes int64 `yaml:"max_bytes"`
	// Timeout bounds one request. Default 30s.
	Timeout time.Duration `yaml:"timeout"`
}

// DefaultLimits returns the limits used for the keys a user leaves out:
// DefaultMaxBytes and 30s.
func DefaultLimits() Limits {
	return Limits{MaxBytes: DefaultMaxBytes, Timeout: 30 * time.Second}
}
