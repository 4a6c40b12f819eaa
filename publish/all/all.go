// Package all registers every publishing channel: import it for its
// side effects.
package all

import (
	// Every channel, each registering itself.
	_ "github.com/earshot/earshot/publish/bluesky"
	_ "github.com/earshot/earshot/publish/mastodon"
	_ "github.com/earshot/earshot/publish/slack"
	_ "github.com/earshot/earshot/publish/statuspage"
	_ "github.com/earshot/earshot/publish/x"
)
