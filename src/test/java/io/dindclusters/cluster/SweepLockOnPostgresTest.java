package io.dindclusters.cluster;

import io.dindclusters.support.Postgres;
import org.springframework.test.context.ContextConfiguration;

/** {@link SweepLockTest}, on PostgreSQL. */
@ContextConfiguration(initializers = Postgres.Schema.class)
class SweepLockOnPostgresTest extends SweepLockTest {
}
