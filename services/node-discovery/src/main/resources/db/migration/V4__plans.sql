-- Plans queued for node agents, and their steps. A plan id is chosen by the sender of RunPlan, so
-- a retried RunPlan finds its plan; a CancelPlan that arrives first leaves a cancelled plan with no
-- steps behind, and the late RunPlan is refused.
CREATE TABLE plans (
    id          text        PRIMARY KEY,
    node_id     uuid        NOT NULL,
    owner       text,
    state       text        NOT NULL,  -- QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED
    reason      text,
    queued_at   timestamptz NOT NULL,
    finished_at timestamptz,
    seq         bigserial   NOT NULL   -- queue order on a node
);
CREATE INDEX plans_active ON plans (node_id, seq) WHERE state IN ('QUEUED', 'RUNNING');

CREATE TABLE plan_steps (
    plan_id         text        NOT NULL REFERENCES plans (id),
    position        int         NOT NULL,
    step_id         text        NOT NULL,
    name            text,
    command         text,
    action          text,
    args            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    timeout_seconds int         NOT NULL,
    retries         int         NOT NULL,
    state           text        NOT NULL,  -- PENDING, SUCCEEDED, FAILED, SKIPPED
    attempt         int         NOT NULL DEFAULT 1,  -- the attempt the agent runs next
    exit_code       int,
    output          text,
    reason          text,
    finished_at     timestamptz,
    PRIMARY KEY (plan_id, step_id),
    UNIQUE (plan_id, position)
);

-- What a long-polling agent waits on: a counter per node that every plan change raises.
CREATE TABLE node_plan_revisions (
    node_id    uuid        PRIMARY KEY,
    revision   bigint      NOT NULL,
    changed_at timestamptz NOT NULL
);
CREATE INDEX node_plan_revisions_changed ON node_plan_revisions (changed_at);
