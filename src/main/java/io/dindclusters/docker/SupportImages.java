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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of the containers that run beside the nodes (DNS64, NAT64), built by the service itself from the build
 * contexts it ships under {@code images/NAME/} on top of {@code dind.images.base}, when the engine lacks them. The
 * tag is a hash of the context's files and the base, so a changed context or base builds anew and an unchanged one is
 * reused across restarts. One per Docker host: each engine builds its own.
 */
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
        Map<String, byte[]> context = context(name);
        StringBuilder identity = new StringBuilder(properties.base());
        context.forEach((file, bytes) -> identity.append('\n').append(file).append('\n')
                .append(new String(bytes, StandardCharsets.UTF_8)));
        String tag = REPOSITORY_PREFIX + name + ":" + hash(identity.toString());
        synchronized (locks.computeIfAbsent(name, n -> new Object())) {
            if (engine.imageExists(tag)) {
                return tag;
            }
            log.info("building support image {} on {}", tag, properties.base());
            build(tag, name, context);
            return tag;
        }
    }

    private void build(String tag, String name, Map<String, byte[]> files) {
        Path context = null;
        try {
            context = Files.createTempDirectory("dind-clusters-image-");
            for (var file : files.entrySet()) {
                Files.write(context.resolve(file.getKey()), file.getValue());
            }
            engine.buildImage(context.resolve("Dockerfile").toFile(), tag, Map.of("BASE_IMAGE", properties.base()),
                    Map.of(IMAGE_LABEL, name), properties.buildTimeout());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(context);
        }
    }

    /** The files of the build context {@code images/NAME/} shipped on the class path, by file name, sorted. */
    private static Map<String, byte[]> context(String name) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver(SupportImages.class.getClassLoader())
                    .getResources("classpath*:images/" + name + "/*");
            Map<String, byte[]> files = new TreeMap<>();
            for (Resource resource : resources) {
                String file = resource.getFilename();
                if (file != null && !file.isEmpty() && resource.isReadable()) {
                    try (InputStream in = resource.getInputStream()) {
                        files.put(file, in.readAllBytes());
                    }
                }
            }
            if (!files.containsKey("Dockerfile")) {
                throw new IllegalArgumentException("no build context for support image " + name);
            }
            return files;
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
