package httpjson

import (
	"errors"
	"net/url"
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.FixedZone("x", 3600))
	from, to, err := Window(url.Values{}, now, 24*time.Hour)
	if err != nil || !to.Equal(now) || !from.Equal(now.Add(-24*time.Hour)) || to.Location() != time.UTC {
		t.Errorf("default window = %v, %v, %v", from, to, err)
	}
	from, to, err = Window(url.Values{"from": {"2026-03-01T00:00:00Z"}, "to": {"2026-03-02T00:00:00Z"}}, now, time.Hour)
	if err != nil || from.Day() != 1 || to.Day() != 2 {
		t.Errorf("explicit window = %v, %v, %v", from, to, err)
	}
	for _, q := range []url.Values{{"to": {"yesterday"}}, {"from": {"2026-03-01"}}, {"from": {"2026-03-02T00:00:00Z"}, "to": {"2026-03-01T00:00:00Z"}}} {
		_, _, err := Window(q, now, time.Hour)
		var pe *ParamError
		if !errors.As(err, &pe) {
			t.Errorf("%v: error %v is not a ParamError", q, err)
		}
	}
}
