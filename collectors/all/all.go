package all

import (
	_ "github.com/earshot/earshot/collectors/rss" // RSS, Atom and JSON Feed
)
