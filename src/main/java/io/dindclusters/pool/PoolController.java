package io.dindclusters.pool;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The configured warm pools and what each holds, for CI jobs choosing a spec and for dashboards. */
@RestController
@RequestMapping(path = "/pools", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "pools", description = "Warm pools: clusters kept RUNNING ahead of demand (dind.pools)")
class PoolController {

    private final PoolRefiller refiller;

    PoolController(PoolRefiller refiller) {
        this.refiller = refiller;
    }

    @GetMapping
    @Operation(operationId = "listPools", summary = "List the warm pools",
            description = "Each configured pool with its filled-in spec, its size, how many clusters are ready and "
                    + "being made, and its hits and misses (counted across replicas). A create that matches a pool's "
                    + "spec (ipMode, workers, nodeImage or kubernetesVersion, bootstrap; no network) or names it "
                    + "(\"pool\") is served with a ready cluster when there is one.")
    @ApiResponse(responseCode = "200", description = "The pools, in configuration order (empty: none configured).")
    List<PoolStatus> list() {
        return refiller.statuses();
    }
}
