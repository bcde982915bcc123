package io.dindclusters.cluster;

import io.dindclusters.support.Postgres;
import org.springframework.test.context.ContextConfiguration;

/** {@link CiFleetTest}, on PostgreSQL: the same migrations, the same SQL. */
@ContextConfiguration(initializers = Postgres.Schema.class)
class CiFleetOnPostgresTest extends CiFleetTest {
}
