-- Registration tokens buy a node credential. Both secrets are stored only as SHA-256 hashes:
-- they are 256-bit random values, so a slow password hash would add nothing but latency.
CREATE TABLE registration_tokens (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    token_hash  bytea       NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    max_uses    int         NOT NULL CHECK (max_uses > 0),
    uses        int         NOT NULL DEFAULT 0,
    labels      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL
);

ALTER TABLE nodes ADD COLUMN credential_hash bytea;
ALTER TABLE nodes ADD COLUMN registered_with uuid;
