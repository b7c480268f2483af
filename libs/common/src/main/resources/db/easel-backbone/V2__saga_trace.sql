-- A saga keeps its trace, so that a retry fired by a deadline (with no inbound message to inherit
-- from) still belongs to the trace the saga started in.
ALTER TABLE easel.saga ADD COLUMN traceparent text;
