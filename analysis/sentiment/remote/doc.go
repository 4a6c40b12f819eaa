// Package remote scores sentiment with a transformer model served over
// HTTP, falling back to a local earshot.Scorer whenever the server fails.
//
// Two kinds of server are spoken (Config.API):
//
//   - "tei": Hugging Face text-embeddings-inference serving a sequence
//     classification model (for example a Twitter-trained RoBERTa
//     sentiment model). The scorer posts
//     {"inputs": [["text 1"], ["text 2"]], "truncate": true, "raw_scores": false}
//     to {url}/predict and reads, per text, every class with its softmax
//     probability: [[{"label": "negative", "score": 0.94}, ...], ...].
//     (Each text is a one-element list: TEI reads a flat list of two
//     strings as one sentence pair.)
//   - "openai": an OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp,
//     Ollama ...). The scorer posts to {url}/chat/completions a system
//     prompt and the texts as JSON with ids, at temperature 0 with
//     response_format json_object, and reads the answer
//     {"results": [{"id": 0, "label": "negative", "confidence": 0.9}, ...]}
//     (a Markdown code fence around it is tolerated). The label gets the
//     confidence (1 when none is given) and the two other classes share
//     the rest.
//
// Model labels go through Config.LabelMap (case-insensitive) to negative,
// neutral and positive; labels it does not know are ignored. Per text,
// the probabilities are summed per class and renormalised; Score is
// p(positive) - p(negative), Label the most probable class, and Parts keeps
// the probabilities as "remote_negative", "remote_neutral" and
// "remote_positive" (only the classes the model has).
//
// [Scorer.Score] sends texts in batches of Config.BatchSize, one request at
// a time, each bounded by Config.Timeout. A 429 or 5xx is retried up to
// Config.Retries times with exponential backoff from 250ms (a Retry-After
// is honoured up to 10s; longer ends the retries). A batch that still fails
// (timeout, connection error, other status, malformed body, wrong number of
// results) is scored by the fallback, counted in [Scorer.Stats], and logged
// at warn level once per failure streak (at debug level after that, with an
// info line when the server recovers). A cancelled context is returned as
// the error, never papered over with the fallback. Blank texts are scored
// neutral without asking the server.
//
// The API key is sent as "Authorization: Bearer <key>". It is read from the
// config, a file or an environment variable, and is replaced by
// "[REDACTED]" in every error and log line, even when a server echoes it
// back; user info and query strings are dropped from logged URLs.
//
// A configuration, under the sentiment scorer's settings:
//
//	remote:
//	  api: tei
//	  url: http://tei:8080
//	  api_key_file: /run/secrets/tei_key
//	  timeout: 5s
//	  batch_size: 32
//	  retries: 2
//	  label_map:            # cardiffnlp/twitter-roberta-base-sentiment
//	    LABEL_0: negative
//	    LABEL_1: neutral
//	    LABEL_2: positive
//
// or, for a chat model:
//
//	remote:
//	  api: openai
//	  url: https://api.openai.com/v1
//	  model: gpt-4o-mini
//	  api_key_env: OPENAI_API_KEY
//	  timeout: 20s
//	  batch_size: 20
//
// Wiring, with the local ensemble as fallback:
//
//	local, err := sentiment.New()
//	...
//	cfg := remote.DefaultConfig() // then overlay the YAML
//	scorer, err := remote.New(cfg, local, remote.WithLogger(log))
package remote
