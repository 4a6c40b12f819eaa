package app

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/config"
)

func TestWebTokens(t *testing.T) {
	cfg := config.Default()
	cfg.Web.APITokens = []collectors.Secret{"env:EARSHOT_WEB_TOKEN", "plain"}
	env := func(name string) string {
		if name == "EARSHOT_WEB_TOKEN" {
			return "from-env"
		}
		return ""
	}
	got, err := webTokens(cfg, env)
	if err != nil || !slices.Equal(got, []string{"from-env", "plain"}) {
		t.Fatalf("tokens %q, err %v", got, err)
	}
	_, err = webTokens(cfg, func(string) string { return "" })
	if !errors.As(err, new(*badinput.Error)) || !strings.Contains(err.Error(), "web.api_tokens[0]: environment variable EARSHOT_WEB_TOKEN is not set") {
		t.Errorf("err = %v", err)
	}
}
