-- The messaging backbone's tables live in their own schema with their own Flyway history, so a
-- service's migrations and the backbone's never compete for version numbers.

CREATE TABLE easel.outbox (
    seq          bigserial   PRIMARY KEY,
    id           uuid        NOT NULL UNIQUE,
    topic        text        NOT NULL,
    msg_key      text        NOT NULL,
    type         text        NOT NULL,
    source       text        NOT NULL,
    subject      text,
    occurred_at  timestamptz NOT NULL,
    extensions   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    payload      jsonb       NOT NULL,
    published_at timestamptz
);

-- The relay reads unpublished rows in commit-ish order; the partial index stays small because
-- published rows leave it at once.
CREATE INDEX outbox_unpublished ON easel.outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON easel.outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE easel.inbox (
    consumer     text        NOT NULL,
    message_id   text        NOT NULL,
    type         text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX inbox_received_at ON easel.inbox (received_at);

CREATE TABLE easel.saga (
    id              uuid        PRIMARY KEY,
    type            text        NOT NULL,
    status          text        NOT NULL,
    step            int         NOT NULL,
    attempts        int         NOT NULL,
    data            jsonb       NOT NULL,
    pending         jsonb       NOT NULL DEFAULT '[]'::jsonb,
    compensations   jsonb       NOT NULL DEFAULT '[]'::jsonb,
    version         bigint      NOT NULL,
    deadline        timestamptz,
    failure_reason  text,
    correlation_id  text,
    actor           text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    finished_at     timestamptz
);
CREATE INDEX saga_deadline ON easel.saga (deadline) WHERE status IN ('RUNNING', 'COMPENSATING');
CREATE INDEX saga_type_status ON easel.saga (type, status);

CREATE TABLE easel.saga_history (
    seq        bigserial   PRIMARY KEY,
    saga_id    uuid        NOT NULL REFERENCES easel.saga (id) ON DELETE CASCADE,
    step       int         NOT NULL,
    step_name  text,
    entry      text        NOT NULL,
    detail     text,
    at         timestamptz NOT NULL
);
CREATE INDEX saga_history_saga ON easel.saga_history (saga_id, seq);
