-- Runs unchanged on H2 (the embedded default) and PostgreSQL.

CREATE TABLE clusters (
    id              VARCHAR(36)  NOT NULL PRIMARY KEY,
    name            VARCHAR(32)  NOT NULL,
    -- the name while the cluster is live, NULL once DELETED: a unique column both databases enforce
    live_name       VARCHAR(32)  UNIQUE,
    status          VARCHAR(16)  NOT NULL,
    status_reason   VARCHAR(4000),
    spec            TEXT         NOT NULL,
    nodes           TEXT         NOT NULL,
    kubeconfig      TEXT,
    version         BIGINT       NOT NULL,
    last_event_seq  BIGINT       NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX clusters_by_creation ON clusters (created_at, id);
CREATE INDEX clusters_by_status ON clusters (status);
CREATE INDEX clusters_by_name ON clusters (name);

CREATE TABLE cluster_labels (
    cluster_id   VARCHAR(36)  NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    label_key    VARCHAR(317) NOT NULL,
    label_value  VARCHAR(63)  NOT NULL,
    PRIMARY KEY (cluster_id, label_key)
);

CREATE INDEX cluster_labels_by_pair ON cluster_labels (label_key, label_value);

CREATE TABLE cluster_events (
    cluster_id   VARCHAR(36)  NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    seq          BIGINT       NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    type         VARCHAR(32)  NOT NULL,
    status       VARCHAR(16),
    step         VARCHAR(64),
    duration_ms  BIGINT,
    message      TEXT         NOT NULL,
    PRIMARY KEY (cluster_id, seq)
);
