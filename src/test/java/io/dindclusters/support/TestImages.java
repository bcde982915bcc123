package io.dindclusters.support;

/** Images the tests use; scripts/ensure-base-image builds them before the tests run. */
public final class TestImages {

    /** A Debian node image without Kubernetes, for bootstrap: none. */
    public static final String NODE = "localhost/dind-clusters/debian-base:bookworm";

    /**
     * An image reference no engine has, in a "registry" on a closed loopback port: a pull of it is refused at once
     * and sends nothing beyond this machine.
     */
    public static final String MISSING = "127.0.0.1:9/dind-clusters/no-such-image:never";

    private TestImages() {
    }
}
