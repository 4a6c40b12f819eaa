-- Local users, their API tokens and browser sessions (earshot.UserStore).
-- Secrets are never stored: a password as its bcrypt hash, a token or a
-- session by a keyed hash of its secret. Scopes are comma-separated.
CREATE TABLE IF NOT EXISTS accounts (
    name                VARCHAR PRIMARY KEY,
    role                VARCHAR NOT NULL,
    password_hash       VARCHAR NOT NULL,
    created_at          TIMESTAMP,
    password_changed_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS api_tokens (
    hash       VARCHAR PRIMARY KEY,
    user_name  VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    scopes     VARCHAR NOT NULL,
    created_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS sessions (
    hash       VARCHAR PRIMARY KEY,
    user_name  VARCHAR NOT NULL,
    created_at TIMESTAMP,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP
);
