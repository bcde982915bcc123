package io.dindclusters.docker;

/** How node containers get the privileges systemd, kubelet and nested containers need. */
public enum NodeSecurity {
    /** docker run --privileged: what real hosts allow. */
    privileged,
    /** All capabilities but CAP_SYS_RESOURCE, unconfined seccomp and AppArmor, all devices: for hosts that refuse --privileged. */
    capabilities,
    /** privileged where the engine allows it, else capabilities; probed once per process. */
    auto
}
