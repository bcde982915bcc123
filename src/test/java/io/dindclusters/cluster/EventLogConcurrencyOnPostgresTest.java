package io.dindclusters.cluster;

import io.dindclusters.support.Postgres;
import org.springframework.test.context.ContextConfiguration;

/** {@link EventLogConcurrencyTest}, on PostgreSQL: the same migrations, the same SQL. */
@ContextConfiguration(initializers = Postgres.Schema.class)
class EventLogConcurrencyOnPostgresTest extends EventLogConcurrencyTest {
}
