package io.dindclusters.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The PostgreSQL server scripts/ensure-postgres starts (Debian's packages, 127.0.0.1:5432, database and role
 * dind_test). Each test run gets a schema of its own; the schemas of earlier runs are dropped when this one starts.
 * Test classes that run on it register it in a {@code @DynamicPropertySource} method.
 */
public final class Postgres {

    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/dind_test";
    public static final String USER = "dind_test";
    public static final String PASSWORD = "dind_test";
    private static final String SCHEMA = "run_" + UUID.randomUUID().toString().replace("-", "");

    static {
        dropEarlierRuns();
    }

    private Postgres() {
    }

    /** Points the service at this run's schema; Flyway creates and migrates it. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL + "?currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.flyway.create-schemas", () -> "true");
    }

    /**
     * Command-line arguments for services started by hand on a schema of their own: replicas of another service
     * on the same schema would take their work.
     */
    public static java.util.List<String> arguments(String name) {
        String schema = "run_" + name + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return java.util.List.of("--spring.datasource.url=" + URL + "?currentSchema=" + schema,
                "--spring.datasource.username=" + USER, "--spring.datasource.password=" + PASSWORD,
                "--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true");
    }

    private static void dropEarlierRuns() {
        try (var connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            List<String> schemas = new ArrayList<>();
            try (var rows = connection.createStatement().executeQuery(
                    "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'run\\_%'")) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
            for (String schema : schemas) {
                connection.createStatement().execute("DROP SCHEMA \"" + schema + "\" CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + URL + " does not answer; scripts/test starts it "
                    + "(scripts/ensure-postgres)", e);
        }
    }
}
