-- Local users, their API tokens and browser sessions (earshot.UserStore).
-- Secrets are never stored: a password as its bcrypt hash, a token or a
-- session by a keyed hash of its secret. Each save writes a row; the last
-- save of a key wins (version); queries read with FINAL. Zero times are 0.
-- Scopes are comma-separated. Small tables: replicated whole in cluster
-- mode.
CREATE TABLE IF NOT EXISTS {{local "accounts"}}{{onCluster}}
(
    name String,
    role String,
    password_hash String,
    created_at {{time}},
    password_changed_at {{time}},
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "accounts" "version"}}
ORDER BY name;

CREATE TABLE IF NOT EXISTS {{local "api_tokens"}}{{onCluster}}
(
    hash String,
    user_name String,
    name String,
    scopes String,
    created_at {{time}},
    revoked_at {{time}},
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "api_tokens" "version"}}
ORDER BY hash;

CREATE TABLE IF NOT EXISTS {{local "sessions"}}{{onCluster}}
(
    hash String,
    user_name String,
    created_at {{time}},
    expires_at {{time}},
    revoked_at {{time}},
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "sessions" "version"}}
ORDER BY hash;
