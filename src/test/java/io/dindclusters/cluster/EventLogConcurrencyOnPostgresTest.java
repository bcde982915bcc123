package io.dindclusters.cluster;

import io.dindclusters.support.Postgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link EventLogConcurrencyTest}, on PostgreSQL: the same migrations, the same SQL. */
class EventLogConcurrencyOnPostgresTest extends EventLogConcurrencyTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
