-- A RunPlan sent with replyWhenFinished is answered when its plan finishes, not when it is queued:
-- where that answer goes is kept with the plan.
ALTER TABLE plans
    ADD COLUMN reply_to         text,
    ADD COLUMN reply_saga_id    text,
    ADD COLUMN reply_request_id text,
    ADD COLUMN reply_command_id text;
