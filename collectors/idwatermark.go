package collectors

import "fmt"

// idWatermarkVersion is bumped when the meaning of an IDWatermark changes; a
// cursor of another version is ignored (the next run backfills afresh).
const idWatermarkVersion = 1

// IDWatermark is the "newest-ID watermark" cursor: the whole cursor of a
// collector over a search whose IDs grow with time ([IDSearch], paged by
// [IDRun]). As JSON:
//
//	{"v":1,"since_id":"1929523463413514240","gaps":[{"since_id":"1929518430559092736","until_id":"1929521046567469056"}]}
//
// SinceID is the newest ID the search has returned: the next run asks for
// what came after it. Gaps are the ranges runs had to leave (out of
// pages, rate limited) while paging back, newest first: the items with
// since_id < id < until_id. Each run first fetches what is new, then works
// on the gaps with the pages it has left.
type IDWatermark struct {
	V       int     `json:"v"`
	SinceID int64   `json:"since_id,string,omitempty"`
	Gaps    []IDGap `json:"gaps,omitempty"`
}

// ParseIDWatermark decodes a cursor that String made; "" is the zero cursor
// (nothing collected yet). An unreadable cursor, one of another version or
// one with an empty or negative gap is an error: the caller logs it and
// starts afresh.
func ParseIDWatermark(s string) (IDWatermark, error) {
	c, err := DecodeCursor[IDWatermark](s, idWatermarkVersion)
	if err != nil {
		return IDWatermark{}, err
	}
	for _, g := range c.Gaps {
		if g.Since < 0 || g.Until <= g.Since {
			return IDWatermark{}, fmt.Errorf("decoding cursor: bad gap %d..%d", g.Since, g.Until)
		}
	}
	return c, nil
}

// String encodes the cursor.
func (c IDWatermark) String() string {
	c.V = idWatermarkVersion
	return EncodeCursor(c)
}
