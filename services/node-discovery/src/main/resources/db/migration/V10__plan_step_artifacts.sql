-- Artifacts: files a plan step writes that its agent uploads after the step succeeded (scan
-- reports, larger than the 16 KiB of captured output). A step declares them by absolute path;
-- each is named by its file name, unique within the step.
ALTER TABLE plan_steps ADD COLUMN artifacts text[] NOT NULL DEFAULT '{}';

-- What was stored for each: the content lives in the content-addressed artifact store, under its
-- digest; the row says which content a step's artifact is. A row is never replaced: the same
-- content again is answered from it, other content refused.
CREATE TABLE plan_step_artifacts (
    plan_id    text        NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    step_id    text        NOT NULL,
    name       text        NOT NULL,
    digest     text        NOT NULL,  -- sha256:<hex>
    size       bigint      NOT NULL,
    media_type text        NOT NULL,
    location   text        NOT NULL,  -- a file: URI today
    stored_at  timestamptz NOT NULL,
    PRIMARY KEY (plan_id, step_id, name),
    FOREIGN KEY (plan_id, step_id) REFERENCES plan_steps (plan_id, step_id) ON DELETE CASCADE
);
-- Which rows hold a piece of content: what a clean-up of content no row holds will ask.
CREATE INDEX plan_step_artifacts_digest ON plan_step_artifacts (digest);
