-- Scheduled digests as they were sent (earshot.SentDigest), for /digests.
CREATE TABLE IF NOT EXISTS digests (
    id         VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    from_at    TIMESTAMP,
    to_at      TIMESTAMP,
    sent_at    TIMESTAMP,
    format     VARCHAR NOT NULL,
    subject    VARCHAR NOT NULL,
    html       VARCHAR NOT NULL,
    markdown   VARCHAR NOT NULL,
    recipients VARCHAR[] NOT NULL,
    ok         BOOLEAN NOT NULL,
    error      VARCHAR NOT NULL
);
