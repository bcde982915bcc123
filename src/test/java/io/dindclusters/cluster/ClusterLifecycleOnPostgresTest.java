package io.dindclusters.cluster;

import io.dindclusters.support.Postgres;
import org.springframework.test.context.ContextConfiguration;

/** {@link ClusterLifecycleTest}, on PostgreSQL: the same migrations, the same SQL. */
@ContextConfiguration(initializers = Postgres.Schema.class)
class ClusterLifecycleOnPostgresTest extends ClusterLifecycleTest {
}
