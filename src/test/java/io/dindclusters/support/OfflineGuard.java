package io.dindclusters.support;

import inet.ipaddr.IPAddress;
import io.dindclusters.cluster.ClusterProperties;
import io.dindclusters.cluster.Dns64Properties;
import io.dindclusters.docker.ImageProperties;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Refuses to start any service in the tests (in this JVM or as a process: META-INF/spring.factories of the test
 * class path) whose configuration would pull an image from a registry beyond this machine or send DNS queries
 * beyond it, naming each property, before anything runs. What is unset counts as the service's default, and those
 * defaults (a public node image, debian:bookworm-slim, 8.8.8.8) are exactly what must never be exercised here.
 * At run time, the allow-list in the same offline configuration ({@code dind.clusters.allowed-node-images}) makes
 * the service refuse, with 403, a request for a node image from anywhere else.
 */
public class OfflineGuard implements ApplicationListener<ApplicationPreparedEvent> {

    /** Image properties and the default the service would use without them (read from the records, never restated). */
    static final Map<String, String> IMAGES = Map.of(
            "dind.clusters.default-node-image", RecordDefaults.of(ClusterProperties.class, "defaultNodeImage"),
            "dind.images.base", RecordDefaults.of(ImageProperties.class, "base"));
    static final Map<String, String> DNS_SERVERS = Map.of("dind.network.dns64.remote-server",
            RecordDefaults.of(Dns64Properties.class, "remoteServer"));

    private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();

    /** How many services (Spring contexts) this JVM has started. */
    static int servicesStarted() {
        return STARTED.get();
    }

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        STARTED.incrementAndGet();
        List<String> problems = problems(event.getApplicationContext().getEnvironment());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("a test would reach beyond this machine: " + String.join("; ", problems)
                    + " (src/test/resources/config/application.properties has the offline values)");
        }
    }

    static List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        IMAGES.forEach((property, fallback) -> {
            String image = environment.getProperty(property, fallback);
            if (!isLocalImage(image)) {
                problems.add(property + "=" + image + " is not in a registry on this machine (use localhost/...)");
            }
        });
        DNS_SERVERS.forEach((property, fallback) -> {
            String server = environment.getProperty(property, fallback);
            if (!isLocalDnsServer(server)) {
                problems.add(property + "=" + server + " is neither loopback nor a private address of a test network");
            }
        });
        return problems;
    }

    /** Whether a pull of {@code image} can only reach this machine: its registry is localhost or a loopback address. */
    static boolean isLocalImage(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return false; // docker.io/library/...
        }
        String first = image.substring(0, slash);
        if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
            return false; // docker.io/first/...
        }
        String host = first.startsWith("[") ? first.substring(1, first.indexOf(']'))
                : first.contains(":") ? first.substring(0, first.lastIndexOf(':')) : first;
        if (host.equals("localhost")) {
            return true;
        }
        IPAddress address = new IPAddressString(host).getAddress();
        return address != null && address.isLoopback();
    }

    /** Loopback, or a private address (where the tests' own DNS containers live on their internal networks). */
    static boolean isLocalDnsServer(String server) {
        IPAddress address = new IPAddressString(server).getAddress();
        if (address == null) {
            return false;
        }
        if (address.isLoopback()) {
            return true;
        }
        return address.isIPv4() ? address.toIPv4().isPrivate() : address.toIPv6().isUniqueLocal();
    }
}
