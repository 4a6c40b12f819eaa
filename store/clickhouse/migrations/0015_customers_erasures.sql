-- Customer accounts (earshot.SocialAccount), the customer on each follow-up, and
-- the audit lines of erased authors (earshot.Erasure).

-- One row per source and handle key (the handle trimmed, without "@", in
-- lower case); handle is the spelling imported. The last save of a key
-- wins (version is a write counter); queries read with FINAL. Small:
-- replicated whole in cluster mode.
CREATE TABLE IF NOT EXISTS {{local "social_accounts"}}{{onCluster}}
(
    source String,
    handle_key String,
    handle String,
    kind {{lc}},
    customer_id String,
    name String,
    tier String,
    owner String,
    updated_at {{time}},
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "social_accounts" "version"}}
ORDER BY (source, handle_key);

-- The customer a follow-up's author is ('' when not a known customer;
-- rows written before read as ''). One column per statement, as in 0005.
ALTER TABLE {{local "followups"}}{{onCluster}} {{addColumn}} customer_id String;
ALTER TABLE {{local "followups"}}{{onCluster}} {{addColumn}} customer_name String;
ALTER TABLE {{local "followups"}}{{onCluster}} {{addColumn}} customer_tier String;

-- Who erased which author when, and how much went: never the content.
CREATE TABLE IF NOT EXISTS {{local "erasures"}}{{onCluster}}
(
    id String,
    source String,
    author_id String,
    actor String,
    erased_at {{time}},
    posts Int64,
    follow_ups Int64,
    alerts Int64,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "erasures" "version"}}
ORDER BY id;
