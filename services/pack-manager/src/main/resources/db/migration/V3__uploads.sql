-- Bundle uploads and their push to a registry.
CREATE TABLE upload (
    id              uuid PRIMARY KEY,
    registry_id     uuid        NOT NULL REFERENCES registry (id) ON DELETE CASCADE,
    filename        text,
    format          text,
    state           text        NOT NULL
                        CHECK (state IN ('RECEIVING', 'PUSHING', 'COMPLETED', 'FAILED')),
    bytes_received  bigint      NOT NULL DEFAULT 0,
    sha256          text,
    signed          boolean     NOT NULL DEFAULT false,
    signature_key   text,
    blobs_total     integer     NOT NULL DEFAULT 0,
    blobs_pushed    integer     NOT NULL DEFAULT 0,
    blobs_skipped   integer     NOT NULL DEFAULT 0,
    bytes_pushed    bigint      NOT NULL DEFAULT 0,
    artifacts       jsonb       NOT NULL DEFAULT '[]',
    errors          jsonb       NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    finished_at     timestamptz
);

CREATE INDEX upload_by_registry ON upload (registry_id, created_at DESC);
