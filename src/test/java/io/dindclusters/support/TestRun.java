package io.dindclusters.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * This test run (one JVM) among others that may run on the same machine, engine and PostgreSQL at the same time.
 * Its id goes into every instance label, object name and schema it makes, so that it removes only its own; and it
 * holds one of {@value #SLOTS} slots (an exclusive file lock the OS releases when the JVM dies), which gives it node
 * and support address pools no other run uses: Docker refuses a network that overlaps another, and two services
 * on one engine cannot see each other's allocations before the networks exist.
 *
 * <p>{@link #init()} runs before any test (from {@link TestDockerObjectsReaper}) and publishes the id and the pools
 * as system properties, so every service the run starts in this JVM uses them; {@link #serviceArguments()} passes
 * them to services started as processes.
 */
public final class TestRun {

    static final int SLOTS = 4;
    /** Short, so that it fits in Docker object names and PostgreSQL schema names. */
    public static final String ID = UUID.randomUUID().toString().substring(0, 8);
    public static final int SLOT;
    private static final FileLock SLOT_LOCK;
    /** The id of the run that held this slot last (over: its lock was free), or null. */
    static final String PREVIOUS_IN_SLOT;
    private static final Map<String, String> PROPERTIES = new LinkedHashMap<>();

    static {
        FileLock lock = null;
        int slot = -1;
        String previous = "";
        for (int s = 0; s < SLOTS && lock == null; s++) {
            try {
                FileChannel channel = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"),
                        "dind-clusters-test-slot-" + s + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                } else {
                    slot = s;
                    // The slot's last run is over (its lock is free): it was killed if it left objects, which
                    // would overlap this run's pools. Its id stays in the file until this run writes its own.
                    java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(64);
                    channel.read(last, 0);
                    previous = new String(last.array(), 0, last.position(), java.nio.charset.StandardCharsets.US_ASCII).strip();
                    channel.truncate(0);
                    channel.write(java.nio.ByteBuffer.wrap(ID.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot take a test run slot", e);
            }
        }
        if (lock == null) {
            throw new IllegalStateException(SLOTS + " test runs are already running on this machine; wait for one to end");
        }
        SLOT = slot;
        SLOT_LOCK = lock;
        PREVIOUS_IN_SLOT = previous.matches("[0-9a-f]{8}") ? previous : null;
        PROPERTIES.put("dind.test.run", ID);
        // a quarter of each default pool per slot: 64 node /24s, 4096 node /64s, 1024 support /28s
        PROPERTIES.put("dind.network.pools.ipv4-nodes", "10.250." + (64 * slot) + ".0/18/24");
        PROPERTIES.put("dind.network.pools.ipv6-nodes", "fd00:d1d:a:" + slot + "000::/52/64");
        PROPERTIES.put("dind.network.pools.ipv4-support", "10.251." + (64 * slot) + ".0/18/28");
        // for tests that set pools of their own on the same engine (SeveralDockerHostsTest)
        PROPERTIES.put("dind.test.other-ipv4-nodes", "10.249." + (64 * slot) + ".0/18/24");
        PROPERTIES.forEach(System::setProperty);
    }

    private TestRun() {
    }

    /** Takes the slot and publishes the properties (idempotent). */
    public static void init() {
        if (!SLOT_LOCK.isValid()) {
            throw new IllegalStateException("lost the test run slot");
        }
    }

    /** An instance label value of this run: the reaper removes what carries it. */
    public static String instance(String what) {
        return prefix() + what;
    }

    /** The instance label prefix of every object this run makes. */
    public static String prefix() {
        return TestDockerObjectsReaper.TEST_INSTANCE_PREFIX + ID + "-";
    }

    /** The instance label prefix of the slot's previous run, whose leftovers the reaper removes; or null. */
    static String previousPrefix() {
        return PREVIOUS_IN_SLOT == null ? null : TestDockerObjectsReaper.TEST_INSTANCE_PREFIX + PREVIOUS_IN_SLOT + "-";
    }

    /** A Docker object name of this run. */
    public static String name(String what) {
        return "dind-clusters-test-" + ID + "-" + what;
    }

    /** The first address of this run's own /24 in {@code 10.<second>.0.0/16} (for networks tests make themselves). */
    public static String subnet24(int second) {
        return "10." + second + "." + SLOT + ".0/24";
    }

    /** {@code --name=value} for each property {@link #init()} publishes, for services started as processes. */
    public static List<String> serviceArguments() {
        List<String> arguments = new ArrayList<>();
        PROPERTIES.forEach((k, v) -> arguments.add("--" + k + "=" + v));
        return arguments;
    }
}
