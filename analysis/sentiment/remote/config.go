package remote

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/redact"
)

// APIs a Config can name.
const (
	// APITEI is Hugging Face text-embeddings-inference serving a sequence
	// classification model: POST {url}/predict.
	APITEI = "tei"
	// APIOpenAI is an OpenAI-compatible chat endpoint asked for one JSON
	// label per text: POST {url}/chat/completions, url ending in /v1.
	APIOpenAI = "openai"
)

// Config configures a remote Scorer.
type Config struct {
	// URL is the server's base URL: "http://tei:8080" for tei (the scorer
	// posts to /predict under it), "https://api.openai.com/v1" or
	// "http://vllm:8000/v1" for openai (it posts to /chat/completions).
	URL string `yaml:"url"`
	// API is "tei" or "openai".
	API string `yaml:"api"`
	// Model is the model name sent to an openai server; tei serves one
	// model and ignores it.
	Model string `yaml:"model"`
	// APIKey is sent as "Authorization: Bearer <key>". Prefer APIKeyFile or
	// APIKeyEnv over writing the key in the config file; set at most one of
	// the three. The key never appears in logs or errors.
	APIKey string `yaml:"api_key"`
	// APIKeyFile is a file holding the API key (surrounding space is
	// trimmed).
	APIKeyFile string `yaml:"api_key_file"`
	// APIKeyEnv is the name of an environment variable holding the API key.
	APIKeyEnv string `yaml:"api_key_env"`
	// Timeout bounds each HTTP request, retries each getting their own.
	Timeout time.Duration `yaml:"timeout"`
	// BatchSize is the most texts sent in one request.
	BatchSize int `yaml:"batch_size"`
	// Retries is how many times a request answered 429 or 5xx is tried
	// again, with exponential backoff (honouring Retry-After), before the
	// batch falls back to the local scorer.
	Retries int `yaml:"retries"`
	// LabelMap maps the model's labels (matched without regard to case)
	// to Earshot's: negative, neutral, positive. Labels not in it are
	// ignored. The default knows "negative"/"neutral"/"positive", their
	// abbreviations, and LABEL_0/1/2 as negative/neutral/positive (the
	// order of the common three-class Twitter models).
	LabelMap map[string]string `yaml:"label_map"`
	// AllowPrivateNetworks lets the scorer reach a model served on a
	// loopback, private or link-local address (a model server on the same
	// host or LAN), which outbound requests refuse by default.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
}

// DefaultConfig returns a Config for a local tei server.
func DefaultConfig() Config {
	return Config{
		URL:       "http://localhost:8080",
		API:       APITEI,
		Timeout:   10 * time.Second,
		BatchSize: 32,
		Retries:   2,
		LabelMap:  DefaultLabelMap(),
	}
}

// DefaultLabelMap returns the label map of DefaultConfig.
func DefaultLabelMap() map[string]string {
	return map[string]string{
		"negative": string(earshot.Negative),
		"neg":      string(earshot.Negative),
		"neutral":  string(earshot.Neutral),
		"neu":      string(earshot.Neutral),
		"positive": string(earshot.Positive),
		"pos":      string(earshot.Positive),
		"LABEL_0":  string(earshot.Negative),
		"LABEL_1":  string(earshot.Neutral),
		"LABEL_2":  string(earshot.Positive),
	}
}

const maxBatchSize = 1024

// Validate reports the first problem in c, naming its key. It reads no
// file and makes no network call.
func (c Config) Validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		return errors.New("remote: url: required")
	case err != nil:
		return fmt.Errorf("remote: url: not a URL")
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return fmt.Errorf("remote: url: want http(s)://host[:port][/path], got %q", redact.URL(u, redact.UserInfo|redact.Query))
	}
	switch c.API {
	case APITEI:
	case APIOpenAI:
		if c.Model == "" {
			return errors.New(`remote: model: required when api is "openai"`)
		}
	default:
		return fmt.Errorf(`remote: api: want "tei" or "openai", got %q`, c.API)
	}
	n := 0
	for _, s := range []string{c.APIKey, c.APIKeyFile, c.APIKeyEnv} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return errors.New("remote: api_key, api_key_file, api_key_env: set at most one")
	}
	if c.Timeout <= 0 {
		return fmt.Errorf("remote: timeout: must be positive, got %s", c.Timeout)
	}
	if c.BatchSize < 1 || c.BatchSize > maxBatchSize {
		return fmt.Errorf("remote: batch_size: must be in [1, %d], got %d", maxBatchSize, c.BatchSize)
	}
	if c.Retries < 0 || c.Retries > 10 {
		return fmt.Errorf("remote: retries: must be in [0, 10], got %d", c.Retries)
	}
	if len(c.LabelMap) == 0 {
		return errors.New("remote: label_map: required")
	}
	for k, v := range c.LabelMap {
		switch earshot.Label(v) {
		case earshot.Negative, earshot.Neutral, earshot.Positive:
		default:
			return fmt.Errorf("remote: label_map: %q maps to %q, want negative, neutral or positive", k, v)
		}
	}
	return nil
}

// key returns the API key from wherever c says it is ("" for none).
func (c Config) key() (string, error) {
	switch {
	case c.APIKeyFile != "":
		b, err := os.ReadFile(c.APIKeyFile)
		if err != nil {
			// The path is not secret, the content is: err names the path only.
			return "", fmt.Errorf("remote: api_key_file: %w", err)
		}
		k := strings.TrimSpace(string(b))
		if k == "" {
			return "", fmt.Errorf("remote: api_key_file: %s is empty", c.APIKeyFile)
		}
		return k, nil
	case c.APIKeyEnv != "":
		k := strings.TrimSpace(os.Getenv(c.APIKeyEnv))
		if k == "" {
			return "", fmt.Errorf("remote: api_key_env: $%s is empty or unset", c.APIKeyEnv)
		}
		return k, nil
	}
	return c.APIKey, nil
}
