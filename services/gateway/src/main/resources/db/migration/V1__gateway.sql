-- Operators who sign in with a password (source local) or through OIDC (source oidc, no password).
CREATE TABLE operator (
    name                 text        PRIMARY KEY,
    password_hash        text,
    role                 text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    must_change_password boolean     NOT NULL DEFAULT false,
    disabled             boolean     NOT NULL DEFAULT false,
    source               text        NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'oidc')),
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

-- API tokens: only the SHA-256 of the secret is kept; the secret is shown once.
CREATE TABLE api_token (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    secret_hash  bytea       NOT NULL UNIQUE,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE UNIQUE INDEX api_token_live_name ON api_token (name) WHERE revoked_at IS NULL;

-- Failed sign-ins per user and per address, for the backoff. Shared by every gateway instance.
CREATE TABLE login_failure (
    kind            text        NOT NULL CHECK (kind IN ('user', 'address')),
    key             text        NOT NULL,
    failures        integer     NOT NULL,
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz,
    PRIMARY KEY (kind, key)
);

-- The public halves of the keys that sign the identity given to services. Each instance keeps its
-- private key in memory only; every instance publishes every key that is still in use.
CREATE TABLE signing_key (
    kid          text        PRIMARY KEY,
    public_jwk   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    retire_after timestamptz NOT NULL
);
