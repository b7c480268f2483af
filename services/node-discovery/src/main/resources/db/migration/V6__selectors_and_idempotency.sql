-- Every label of a node, user and derived, in one column that a GIN index answers: a selector's
-- equality and existence terms (labels @> {k: v}, labels ? k) no longer scan every node.
-- V7 (a Java migration: derived labels come from the domain's code) fills it for existing nodes.
ALTER TABLE nodes ADD COLUMN all_labels jsonb NOT NULL DEFAULT '{}'::jsonb;
CREATE INDEX nodes_all_labels ON nodes USING gin (all_labels);

-- What a token creation with an Idempotency-Key answered: the same request again gets the same
-- token (never its secret again); another request with the key is refused.
CREATE TABLE token_idempotency (
    idempotency_key text        PRIMARY KEY,
    request_hash    bytea       NOT NULL,
    token_id        uuid        NOT NULL REFERENCES registration_tokens (id),
    created_at      timestamptz NOT NULL
);
