package all

import (
	_ "github.com/earshot/earshot/collectors/appstore"
	_ "github.com/earshot/earshot/collectors/bluesky"
	_ "github.com/earshot/earshot/collectors/disqus"
	_ "github.com/earshot/earshot/collectors/facebook"
	_ "github.com/earshot/earshot/collectors/googleplay"
	_ "github.com/earshot/earshot/collectors/hackernews"
	_ "github.com/earshot/earshot/collectors/linkedin"
	_ "github.com/earshot/earshot/collectors/mastodon"
	_ "github.com/earshot/earshot/collectors/reddit"
	_ "github.com/earshot/earshot/collectors/rss" // RSS, Atom and JSON Feed
	_ "github.com/earshot/earshot/collectors/statusfeed"
	_ "github.com/earshot/earshot/collectors/statuspage"
	_ "github.com/earshot/earshot/collectors/twitter"
	_ "github.com/earshot/earshot/collectors/twitterv2"
	_ "github.com/earshot/earshot/collectors/wordpress"
	_ "github.com/earshot/earshot/collectors/youtube"
)
