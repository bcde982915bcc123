package io.dindclusters.cluster;

import io.dindclusters.support.Postgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ClusterLifecycleTest}, on PostgreSQL: the same migrations, the same SQL. */
class ClusterLifecycleOnPostgresTest extends ClusterLifecycleTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
