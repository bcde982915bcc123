-- The tenant a cluster belongs to: the owner of the API token that created it ("local" without tokens).
ALTER TABLE clusters ADD COLUMN owner VARCHAR(63) DEFAULT 'local' NOT NULL;
CREATE INDEX clusters_by_owner ON clusters (owner, created_at);
