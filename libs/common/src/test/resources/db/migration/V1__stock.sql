-- A test service's own migration, applied beside the backbone's.
CREATE TABLE stock_ledger (
    request_id text NOT NULL,
    sku        text NOT NULL,
    op         text NOT NULL,
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (request_id, sku, op)
);
CREATE TABLE ledger (
    id         bigserial PRIMARY KEY,
    message_id text NOT NULL,
    account    text NOT NULL,
    seq        bigint NOT NULL
);
