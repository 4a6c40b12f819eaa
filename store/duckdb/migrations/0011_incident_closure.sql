-- An incident closed for comms (earshot.Closure as JSON: who, when, and an
-- admin's override reason); NULL while it is not closed.

ALTER TABLE incidents ADD COLUMN closure VARCHAR;
