package io.dindclusters.support;

/** Images the tests use; scripts/ensure-base-image builds them before the tests run. */
public final class TestImages {

    /** A Debian node image without Kubernetes, for bootstrap: none. */
    public static final String NODE = "dind-clusters/debian-base:bookworm";

    /** An image reference no engine has. */
    public static final String MISSING = "dind-clusters/no-such-image:never";

    private TestImages() {
    }
}
