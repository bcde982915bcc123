-- The container parts of a failed cluster's logs bundle, captured before its containers were torn down, so that a
-- CI job can still fetch them (GET /clusters/{id}/logs). One gzipped tar per cluster, bounded by dind.logs; removed
-- with the cluster.
CREATE TABLE captured_logs (
    cluster_id  VARCHAR(36) PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    captured_at TIMESTAMP WITH TIME ZONE NOT NULL,
    parts       BYTEA NOT NULL
);
