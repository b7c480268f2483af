-- A checkpoint is a moment, not a place in the chain: the head can come back to a seq it had
-- before (records cut off the end, then chained again), and both heads must stay on record. The
-- latest checkpoint is the last one taken, not the one with the highest seq.
ALTER TABLE audit_checkpoint DROP CONSTRAINT audit_checkpoint_pkey;
ALTER TABLE audit_checkpoint ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE INDEX audit_checkpoint_seq ON audit_checkpoint (seq);
