package collectors

import "github.com/earshot/earshot/internal/auth"

// Secret is a credential in a collector's configuration: "env:NAME",
// "file:/path" or the value itself (see auth.Secret, which it is).
type Secret = auth.Secret
