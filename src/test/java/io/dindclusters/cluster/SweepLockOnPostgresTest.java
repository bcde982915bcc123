package io.dindclusters.cluster;

import io.dindclusters.support.Postgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link SweepLockTest}, on PostgreSQL. */
class SweepLockOnPostgresTest extends SweepLockTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
