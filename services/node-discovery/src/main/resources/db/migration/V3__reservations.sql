-- Reservations that were released. A ReserveNodes that arrives after its own ReleaseNodes (the
-- saga timed out and compensated first) must not hold the nodes forever, so it is refused.
CREATE TABLE released_reservations (
    reservation_id text        PRIMARY KEY,
    released_at    timestamptz NOT NULL
);
