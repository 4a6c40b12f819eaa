// Package feedparse parses the feeds that the rss and statusfeed
// collectors read, as the hostile input they are: an empty body, a body
// that is no feed, a parser error and a parser panic are each an error
// that names the feed, never a crash.
package feedparse

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/mmcdole/gofeed"
)

// Parse parses body, the feed at where (an address already redacted), with
// gofeed, without scanning its content for images. kinds names the feeds it
// takes in the error for a body that is none ("an RSS or Atom feed").
func Parse(body []byte, where, kinds string) (feed *gofeed.Feed, err error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("parsing feed %s: empty body", where)
	}
	// A feed is hostile input; a parser bug it triggers is this feed's
	// error, not the program's crash.
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("parsing feed %s: parser panicked: %v", where, r)
		}
	}()
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	feed, err = p.Parse(bytes.NewReader(body))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, fmt.Errorf("parsing feed %s: not %s", where, kinds)
	}
	if err != nil {
		return nil, fmt.Errorf("parsing feed %s: %w", where, err)
	}
	return feed, nil
}
