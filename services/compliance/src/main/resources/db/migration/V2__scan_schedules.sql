-- A cluster's schedule for one kind of scan. A kind without a row is scanned on demand only.
CREATE TABLE scan_schedules (
    cluster_id uuid        NOT NULL,
    kind       text        NOT NULL,
    preset     text        NOT NULL CHECK (preset IN ('weekly', 'biweekly', 'monthly', 'bimonthly', 'custom')),
    cron       text,
    zone       text        NOT NULL,
    options    jsonb       NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, kind)
);

-- db-scheduler's table, as its PostgreSQL DDL for 16.x gives it
-- (db-scheduler/src/test/resources/postgresql_tables.sql at v16.7.1). Every instance polls it;
-- an execution is picked by one instance alone.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
