-- The secret files of plan steps, sealed with AES-GCM (bound to plan, step and path). They are
-- handed to the node's agent only, never shown to operators, and deleted when the plan ends.
CREATE TABLE plan_step_secrets (
    plan_id text  NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    step_id text  NOT NULL,
    path    text  NOT NULL,
    sealed  bytea NOT NULL,
    PRIMARY KEY (plan_id, step_id, path)
);
