package io.dindclusters.support;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Images the tests need besides the base: built from the test build contexts under src/test/resources/images/NAME
 * on the local Debian base, tagged by a hash of their files, once per machine. Never pulled.
 */
public final class TestImageBuilder {

    private TestImageBuilder() {
    }

    /** localhost/dind-clusters/test-NAME:HASH, built on the local Debian base when the engine lacks it. */
    public static synchronized String ensure(String name) {
        return ensure(name, TestImages.NODE);
    }

    /** localhost/dind-clusters/test-NAME:HASH, built on {@code base} (a local image) when the engine lacks it. */
    public static synchronized String ensure(String name, String base) {
        try {
            Map<String, byte[]> files = new TreeMap<>();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:images/" + name + "/*")) {
                try (InputStream in = r.getInputStream()) {
                    files.put(r.getFilename(), in.readAllBytes());
                }
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(base.getBytes(StandardCharsets.UTF_8));
            files.forEach((file, bytes) -> {
                digest.update(file.getBytes(StandardCharsets.UTF_8));
                digest.update(bytes);
            });
            String tag = "localhost/dind-clusters/test-" + name + ":" + HexFormat.of().formatHex(digest.digest(), 0, 6);
            try {
                TestDocker.client().inspectImageCmd(tag).exec();
                return tag;
            } catch (NotFoundException e) {
                // build below
            }
            // A build FROM a missing base would try to pull it: refuse first, naming the script that makes it.
            try {
                TestDocker.client().inspectImageCmd(base).exec();
            } catch (NotFoundException e) {
                throw new IllegalStateException("the engine lacks the base image " + base + " of test image " + name
                        + "; scripts/ensure-base-image builds it (scripts/test runs it)");
            }
            Path context = Files.createTempDirectory("test-image-");
            try {
                for (var file : files.entrySet()) {
                    Files.write(context.resolve(file.getKey()), file.getValue());
                }
                TestDocker.client().buildImageCmd(context.resolve("Dockerfile").toFile()).withTags(Set.of(tag))
                        .withPull(false).withBuildArg("BASE_IMAGE", base)
                        .exec(new BuildImageResultCallback()).awaitImageId(600, TimeUnit.SECONDS);
            } finally {
                try (var paths = Files.walk(context)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return tag;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
