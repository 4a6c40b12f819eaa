-- What comms published (or asked to publish) about incidents
-- (earshot.Publication), replaced whole by ID. body is the publication as
-- JSON; the columns beside it are what queries select on.
CREATE TABLE publications (
    id          VARCHAR PRIMARY KEY,
    incident_id VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    body        VARCHAR NOT NULL
);
