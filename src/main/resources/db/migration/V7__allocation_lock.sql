-- A row that creates lock while they check names, quotas and Idempotency-Keys and allocate address blocks, so that
-- replicas sharing the database never hand out one block twice.
CREATE TABLE service_locks (
    name VARCHAR(64) NOT NULL PRIMARY KEY
);
INSERT INTO service_locks (name) VALUES ('allocation');
