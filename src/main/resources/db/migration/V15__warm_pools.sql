-- Warm pools (dind.pools): clusters made ahead of demand, owned by their pool ('pool:NAME') until a create claims
-- one. pool names the pool that made a cluster (NULL: made on demand) and stays after the claim; claimed_at says
-- when a request took it over. A claimed cluster gets the caller's name, while its containers keep the names they
-- were made with: node_name_prefix (the name at creation), unique among live clusters like live_name, so no new
-- cluster's containers can collide with a renamed one's.
ALTER TABLE clusters ADD COLUMN pool VARCHAR(32);
ALTER TABLE clusters ADD COLUMN claimed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE clusters ADD COLUMN node_name_prefix VARCHAR(32);
ALTER TABLE clusters ADD COLUMN live_node_name_prefix VARCHAR(32) UNIQUE;
UPDATE clusters SET node_name_prefix = name, live_node_name_prefix = live_name;
ALTER TABLE clusters ALTER COLUMN node_name_prefix SET NOT NULL;
CREATE INDEX clusters_by_pool ON clusters (pool, status);

-- Hits and misses of each pool across every replica (Prometheus counters are per replica).
CREATE TABLE pool_counts (
    pool    VARCHAR(32) PRIMARY KEY,
    hits    BIGINT NOT NULL,
    misses  BIGINT NOT NULL
);
