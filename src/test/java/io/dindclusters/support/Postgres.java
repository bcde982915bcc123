package io.dindclusters.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The PostgreSQL server scripts/ensure-postgres starts (Debian's packages, 127.0.0.1:5432, database and role
 * dind_test). Every service on it gets a schema of its own, named {@code run_EPOCHSECONDS_RUNID_...}; schemas of
 * runs that ended long ago (older than {@link #STALE}) are dropped when a run starts, those of a run beside this one
 * are left alone.
 */
public final class Postgres {

    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/dind_test";
    public static final String USER = "dind_test";
    public static final String PASSWORD = "dind_test";
    static final Duration STALE = Duration.ofHours(3);
    private static boolean earlierRunsDropped;

    private Postgres() {
    }

    /**
     * Puts a service on a schema of its own; Flyway creates and migrates it. Test classes that run on PostgreSQL
     * name it in {@code @ContextConfiguration(initializers = Postgres.Schema.class)}, which keeps them in one
     * context (one configuration for every variant).
     */
    public static final class Schema implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> properties = new java.util.LinkedHashMap<>();
            for (String argument : arguments("context")) {
                String[] pair = argument.substring(2).split("=", 2);
                properties.put(pair[0], pair[1]);
            }
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test-postgres", properties));
        }
    }

    /** Command-line arguments for a service on a new schema of its own; replicas of one service share theirs. */
    public static List<String> arguments(String name) {
        dropEarlierRuns();
        String schema = "run_" + Instant.now().getEpochSecond() + "_" + TestRun.ID + "_" + name + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        return List.of("--spring.datasource.url=" + URL + "?currentSchema=" + schema,
                "--spring.datasource.username=" + USER, "--spring.datasource.password=" + PASSWORD,
                "--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true");
    }

    private static synchronized void dropEarlierRuns() {
        if (earlierRunsDropped) {
            return;
        }
        long staleBefore = Instant.now().minus(STALE).getEpochSecond();
        try (var connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            List<String> schemas = new ArrayList<>();
            try (var rows = connection.createStatement().executeQuery(
                    "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'run\\_%'")) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
            for (String schema : schemas) {
                String[] parts = schema.split("_");
                // run_EPOCH_...; older names without a time are from before runs could share the server
                boolean stale = parts.length < 3 || !parts[1].matches("\\d{1,12}") || Long.parseLong(parts[1]) < staleBefore;
                if (stale) {
                    connection.createStatement().execute("DROP SCHEMA \"" + schema + "\" CASCADE");
                }
            }
            earlierRunsDropped = true;
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + URL + " does not answer; scripts/test starts it "
                    + "(scripts/ensure-postgres)", e);
        }
    }
}
