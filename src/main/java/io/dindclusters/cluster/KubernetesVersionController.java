package io.dindclusters.cluster;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Kubernetes versions a spec may ask for by kubernetesVersion, and the node image each resolves to. */
@RestController
@RequestMapping(path = "/kubernetes-versions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "kubernetes-versions", description = "What kubernetesVersion may ask for")
class KubernetesVersionController {

    @Schema(name = "KubernetesVersion", description = "A Kubernetes version this service offers.")
    record VersionView(
            @Schema(example = "v1.33.1") String version,
            @Schema(description = "The node image it runs on; a digest pins it.",
                    example = "kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f")
            String image,
            @Schema(description = "Whether a spec that names neither nodeImage nor kubernetesVersion gets it.")
            boolean isDefault) {
    }

    private final KubernetesVersions versions;

    KubernetesVersionController(KubernetesVersions versions) {
        this.versions = versions;
    }

    @GetMapping
    @Operation(operationId = "listKubernetesVersions", summary = "List the Kubernetes versions",
            description = "Newest first. kubernetesVersion in a spec may name one exactly (v1.33.1) or by its minor "
                    + "version (1.33: the newest patch listed).")
    List<VersionView> list() {
        return versions.offered().stream().map(o -> new VersionView(o.version(), o.image(), o.isDefault())).toList();
    }
}
