-- Episodes (one conversation per watch and trouble), the threads notifiers
-- answer in, and silences, each replaced whole by its key; and the watches
-- an incident affects (none: any watch its services name).

ALTER TABLE incidents ADD COLUMN watches VARCHAR[] DEFAULT []::VARCHAR[];

-- body is the earshot.Episode as JSON; the columns beside it are what
-- queries select on.
CREATE TABLE episodes (
    id         VARCHAR PRIMARY KEY,
    watch      VARCHAR NOT NULL,
    opened_at  TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    body       VARCHAR NOT NULL
);

-- ref is what a receiver needs to answer in an episode's conversation
-- (a Slack message's ts).
CREATE TABLE episode_threads (
    episode_id VARCHAR NOT NULL,
    receiver   VARCHAR NOT NULL,
    ref        VARCHAR NOT NULL,
    PRIMARY KEY (episode_id, receiver)
);

-- body is the silence as JSON (matchers, author, comment).
CREATE TABLE silences (
    id        VARCHAR PRIMARY KEY,
    starts_at TIMESTAMP NOT NULL,
    ends_at   TIMESTAMP NOT NULL,
    body      VARCHAR NOT NULL
);
