package io.dindclusters.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The images of the containers that run beside the nodes (DNS64, NAT64), built by the service itself from the build
 * contexts it ships under {@code images/NAME/} on top of {@code dind.images.base}, when the engine lacks them. The
 * tag is a hash of the Dockerfile and the base, so a changed context or base builds anew and an unchanged one is
 * reused across restarts.
 */
@Component
public class SupportImages {

    private static final Logger log = LoggerFactory.getLogger(SupportImages.class);
    public static final String REPOSITORY_PREFIX = "dind-clusters/";
    static final String IMAGE_LABEL = "io.dindclusters.image";

    private final DockerEngine engine;
    private final ImageProperties properties;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    SupportImages(DockerEngine engine, ImageProperties properties) {
        this.engine = engine;
        this.properties = properties;
    }

    /** The tag of the support image {@code name}, built first if the engine does not have it. */
    public String ensure(String name) {
        String dockerfile = dockerfile(name);
        String tag = REPOSITORY_PREFIX + name + ":" + hash(dockerfile + "\n" + properties.base());
        synchronized (locks.computeIfAbsent(name, n -> new Object())) {
            if (engine.imageExists(tag)) {
                return tag;
            }
            log.info("building support image {} on {}", tag, properties.base());
            build(tag, name, dockerfile);
            return tag;
        }
    }

    private void build(String tag, String name, String dockerfile) {
        Path context = null;
        try {
            context = Files.createTempDirectory("dind-clusters-image-");
            Path file = context.resolve("Dockerfile");
            Files.writeString(file, dockerfile, StandardCharsets.UTF_8);
            engine.buildImage(file.toFile(), tag, Map.of("BASE_IMAGE", properties.base()),
                    Map.of(IMAGE_LABEL, name), properties.buildTimeout());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(context);
        }
    }

    private static String dockerfile(String name) {
        try (InputStream in = SupportImages.class.getResourceAsStream("/images/" + name + "/Dockerfile")) {
            if (in == null) {
                throw new IllegalArgumentException("no build context for support image " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}", dir, e);
        }
    }
}
