-- When a cluster is torn down on its own (its TTL), and the Idempotency-Key of each create, kept for a while.
ALTER TABLE clusters ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX clusters_by_expiry ON clusters (expires_at);

CREATE TABLE idempotency_keys (
    idem_key      VARCHAR(255) NOT NULL PRIMARY KEY,
    request_hash  VARCHAR(64)  NOT NULL,
    cluster_id    VARCHAR(36)  NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
