package all_test

import (
	"slices"
	"testing"

	"github.com/earshot/earshot/collectors"
	_ "github.com/earshot/earshot/collectors/all"
)

func TestAllRegistered(t *testing.T) {
	for _, kind := range []string{"rss", "twitter", "twitter_v2", "mastodon", "bluesky", "reddit", "hackernews", "facebook", "linkedin", "youtube", "wordpress", "disqus", "appstore", "googleplay"} {
		if !slices.Contains(collectors.Kinds(), kind) {
			t.Errorf("kind %q not registered; Kinds() = %v", kind, collectors.Kinds())
		}
	}
}
