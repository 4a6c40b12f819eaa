package bluesky_test

import "testing"

// FuzzResponses answers every request of the collector with arbitrary
// bytes (seeded with the recorded answers of testdata): no answer may
// panic or hang it, and what it returns must be sane (see
// collectortest.Suite.Fuzz).
func FuzzResponses(f *testing.F) { cases(f).Fuzz(f) }
