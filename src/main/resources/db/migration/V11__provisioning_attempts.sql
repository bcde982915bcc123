-- Provisioning that its replica did not finish (the replica died, or was drained) is provisioned again instead of
-- failed. provisioning_attempts: how many attempts have started. lost_attempts: a JSON array with why each attempt
-- that counts towards dind.provisioning.max-attempts was lost, for the FAILED reason once none are left.
ALTER TABLE clusters ADD COLUMN provisioning_attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE clusters ADD COLUMN lost_attempts VARCHAR(16000);
-- On status events: the provisioning attempt the cluster was in (null before the first).
ALTER TABLE cluster_events ADD COLUMN attempt INTEGER;
