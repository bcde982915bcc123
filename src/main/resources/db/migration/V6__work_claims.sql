-- Which replica works on a cluster (provisioning or teardown) and until when its claim holds without a heartbeat.
ALTER TABLE clusters ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE clusters ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX clusters_by_lease ON clusters (status, lease_until);
