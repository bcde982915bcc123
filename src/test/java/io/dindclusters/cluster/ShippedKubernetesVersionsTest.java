package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The version table the service ships (application.yml): kind's images for 1.30 to 1.33, each pinned by digest. */
class ShippedKubernetesVersionsTest {

    @Test
    @SuppressWarnings("unchecked")
    void kindsImagesFor130To133PinnedByDigestAndTheDefaultAmongThem() throws Exception {
        Map<String, Object> yaml;
        try (InputStream in = getClass().getResourceAsStream("/application.yml")) {
            yaml = new Yaml().load(in);
        }
        Map<String, Object> dind = (Map<String, Object>) yaml.get("dind");
        var versions = (List<Map<String, String>>) ((Map<String, Object>) dind.get("kubernetes")).get("versions");
        String defaultImage = (String) ((Map<String, Object>) dind.get("clusters")).get("default-node-image");

        assertThat(versions).extracting(v -> v.get("version").replaceAll("\\.\\d+$", ""))
                .containsExactly("v1.33", "v1.32", "v1.31", "v1.30");
        assertThat(versions).allSatisfy(v -> assertThat(v.get("image"))
                .matches("kindest/node:" + java.util.regex.Pattern.quote(v.get("version")) + "@sha256:[0-9a-f]{64}"));
        assertThat(versions).extracting(v -> v.get("image")).contains(defaultImage);
        // the record's own default is the same image, for a service started without application.yml
        assertThat(io.dindclusters.support.RecordDefaults.of(ClusterProperties.class, "defaultNodeImage"))
                .isEqualTo(defaultImage);
    }
}
