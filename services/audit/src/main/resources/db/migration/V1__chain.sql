-- The audit log: every event once, in a hash chain. The data is kept byte for byte (bytea, not
-- jsonb, which would reorder keys), so its SHA-256 can be recomputed.
CREATE TABLE audit_record (
    seq         bigint      PRIMARY KEY,
    event_id    text        NOT NULL UNIQUE,
    type        text,
    source      text,
    subject     text,
    actor       text,
    time        timestamptz,
    topic       text,
    data        bytea       NOT NULL,
    data_hash   text        NOT NULL,
    prev_hash   text        NOT NULL,
    hash        text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- The records API filters by these, newest pages by seq.
CREATE INDEX audit_record_actor ON audit_record (actor, seq);
CREATE INDEX audit_record_type ON audit_record (type, seq);
CREATE INDEX audit_record_subject ON audit_record (subject, seq);
CREATE INDEX audit_record_time ON audit_record (time);

-- The heads published as AuditCheckpointed.
CREATE TABLE audit_checkpoint (
    seq  bigint      PRIMARY KEY,
    hash text        NOT NULL,
    at   timestamptz NOT NULL
);
