-- The Docker host a cluster was placed on. Clusters from before several hosts were all on the one engine, "local".
ALTER TABLE clusters ADD COLUMN docker_host VARCHAR(63) DEFAULT 'local' NOT NULL;
CREATE INDEX clusters_by_docker_host ON clusters (docker_host, status);
