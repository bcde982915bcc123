-- What the container check last found wrong with a RUNNING cluster's containers (stopped by a daemon restart or a
-- host reboot, say); null while every container runs.
ALTER TABLE clusters ADD COLUMN containers_problem VARCHAR(4000);
