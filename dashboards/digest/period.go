package digest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParsePeriod reads a period: whole days ("7d") or a Go duration ("36h"),
// from one hour to MaxPeriod.
func ParsePeriod(s string) (time.Duration, error) {
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number of days such as 7d", s)
		}
		d = time.Duration(days) * 24 * time.Hour
		if days > 366 {
			d = MaxPeriod + 1
		}
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a period such as 7d, 30d or 24h", s)
		}
	}
	if d < time.Hour || d > MaxPeriod {
		return 0, fmt.Errorf("%s: give one hour to 366 days", s)
	}
	return d, nil
}
