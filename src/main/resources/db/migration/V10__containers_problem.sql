-- What the container check last found wrong with a RUNNING cluster's containers (stopped or restarted by a daemon
-- restart or a host reboot, say); null while every container runs as it did. running_since: when the cluster
-- became RUNNING, which a container started later must have restarted after.
ALTER TABLE clusters ADD COLUMN containers_problem VARCHAR(4000);
ALTER TABLE clusters ADD COLUMN running_since TIMESTAMP WITH TIME ZONE;
