package io.dindclusters.support;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.provision.ProvisioningContext;
import io.dindclusters.provision.ProvisioningStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A test-only provisioning step that holds a cluster's provisioning at a known point until the test lets go, in
 * place of "a cluster slow enough" or "kill once N objects exist": a cluster whose labels carry this step's key
 * stops there, says so in a file, and goes on when the test writes the release file (or fails after
 * {@link #LONGEST}, or when the replica drains and asks its steps to stop, as a real step's wait does). Files, not
 * latches, so that it works the same in a service started as a process. Every service on the test class path has
 * the two steps (META-INF/spring AutoConfiguration.imports); clusters without the label never see them.
 */
public final class HoldStep implements ProvisioningStep {

    /** Before create-nodes (stage 200): only the network exists. */
    public static final String BEFORE_NODES = "dind-test-hold-before-nodes";
    /** After create-nodes and the support containers: network, nodes, DNS64 and NAT64 exist. */
    public static final String AFTER_NODES = "dind-test-hold-after-nodes";
    static final Duration LONGEST = Duration.ofSeconds(120);
    static final Path DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"), "dind-clusters-test-holds");

    private final String key;
    private final int stage;

    HoldStep(String key, int stage) {
        this.key = key;
        this.stage = stage;
    }

    @Override
    public String name() {
        return key.substring("dind-test-".length());
    }

    @Override
    public int stage() {
        return stage;
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return spec.labels() != null && spec.labels().containsKey(key);
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        String token = context.spec().labels().get(key);
        Files.createDirectories(DIRECTORY);
        Files.writeString(DIRECTORY.resolve(token + ".held"), context.clusterId());
        long end = System.nanoTime() + LONGEST.toNanos();
        while (!Files.exists(DIRECTORY.resolve(token + ".release"))) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the test did not release hold " + token + " within " + LONGEST);
            }
            context.stopIfRequested("hold " + token); // as a real step's wait does: a draining replica ends it
            Thread.sleep(50);
        }
    }

    /** Registers the two steps in every service on the test class path. */
    @AutoConfiguration
    public static class Steps {
        @Bean
        HoldStep holdBeforeNodes() {
            return new HoldStep(BEFORE_NODES, 150);
        }

        @Bean
        HoldStep holdAfterNodes() {
            return new HoldStep(AFTER_NODES, 250);
        }
    }

    /** One hold, as a test sees it: the label to put on a cluster, and the two sides of the hand-over. */
    public static final class Hold implements AutoCloseable {
        private final String key;
        private final String token = "h" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);

        public Hold(String key) {
            this.key = key;
            pruneOldFiles();
        }

        private static synchronized void pruneOldFiles() {
            if (!Files.isDirectory(DIRECTORY)) {
                return;
            }
            java.nio.file.attribute.FileTime dayAgo = java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Duration.ofDays(1)));
            try (var files = Files.list(DIRECTORY)) {
                for (Path file : files.toList()) {
                    if (Files.getLastModifiedTime(file).compareTo(dayAgo) < 0) {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** {@code "labels":{KEY:TOKEN}}, to put in a create request. */
        public String labelsJson() {
            return "\"labels\":{\"" + key + "\":\"" + token + "\"}";
        }

        /** Waits (at most {@code atMost}) until a cluster reached the hold; returns its id. */
        public String awaitHeld(Duration atMost) {
            Path held = DIRECTORY.resolve(token + ".held");
            long end = System.nanoTime() + atMost.toNanos();
            try {
                while (!Files.exists(held)) {
                    if (System.nanoTime() > end) {
                        throw new AssertionError("no cluster reached hold " + key + " within " + atMost);
                    }
                    Thread.sleep(20);
                }
                return Files.readString(held);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /**
         * Forgets that a cluster reached the hold, so that {@link #awaitHeld} waits for the next arrival (a cluster
         * provisioned again after its attempt was lost).
         */
        public void forget() {
            try {
                Files.deleteIfExists(DIRECTORY.resolve(token + ".held"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Whether a cluster has reached the hold. */
        public boolean isHeld() {
            return Files.exists(DIRECTORY.resolve(token + ".held"));
        }

        /** Lets the held provisioning go on. */
        public void release() {
            try {
                Files.createDirectories(DIRECTORY);
                Files.writeString(DIRECTORY.resolve(token + ".release"), "");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /**
         * Releases, so that a provisioning still held does not wait out its bound. The release file stays (the step
         * may not have seen it yet); files older than a day are removed by the next run's first hold.
         */
        @Override
        public void close() {
            release();
            forget();
        }
    }
}
