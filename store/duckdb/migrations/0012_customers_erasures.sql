-- Customer accounts (earshot.SocialAccount), the customer on each follow-up, and
-- the audit lines of erased authors (earshot.Erasure).

-- One row per source and handle key (the handle trimmed, without "@", in
-- lower case); handle is the spelling imported.
CREATE TABLE social_accounts (
    source      VARCHAR NOT NULL,
    handle_key  VARCHAR NOT NULL,
    handle      VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    customer_id VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    tier        VARCHAR NOT NULL,
    owner       VARCHAR NOT NULL,
    updated_at  TIMESTAMP,
    PRIMARY KEY (source, handle_key)
);

-- The customer a follow-up's author is ('' when not a known customer).
ALTER TABLE follow_ups ADD COLUMN customer_id VARCHAR DEFAULT '';
ALTER TABLE follow_ups ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE follow_ups ADD COLUMN customer_name VARCHAR DEFAULT '';
ALTER TABLE follow_ups ALTER COLUMN customer_name SET NOT NULL;
ALTER TABLE follow_ups ADD COLUMN customer_tier VARCHAR DEFAULT '';
ALTER TABLE follow_ups ALTER COLUMN customer_tier SET NOT NULL;

-- Who erased which author when, and how much went: never the content.
CREATE TABLE erasures (
    id         VARCHAR PRIMARY KEY,
    source     VARCHAR NOT NULL,
    author_id  VARCHAR NOT NULL,
    actor      VARCHAR NOT NULL,
    erased_at  TIMESTAMP NOT NULL,
    posts      BIGINT NOT NULL,
    follow_ups BIGINT NOT NULL,
    alerts     BIGINT NOT NULL
);
