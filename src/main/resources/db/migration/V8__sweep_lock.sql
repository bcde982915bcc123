-- Held by the replica sweeping expired clusters, so that replicas sweep one at a time.
INSERT INTO service_locks (name) VALUES ('expiry-sweep');
