package io.dindclusters.docker;

import java.util.Set;

/**
 * What a Docker engine says of itself that decides how kind nodes run on it.
 *
 * @param storageDriver     overlay2, btrfs, zfs, devicemapper, ...
 * @param backingFilesystem the file system under the storage driver (extfs, xfs, btrfs, zfs), "" when unknown
 * @param usernsRemap       whether the daemon remaps user namespaces (userns-remap)
 */
public record EngineFacts(String storageDriver, String backingFilesystem, boolean usernsRemap) {

    private static final Set<String> NEED_DEVICE_MAPPER = Set.of("btrfs", "zfs", "devicemapper");

    /** kubelet finds the root file system's device through /dev/mapper on these (kind binds it in). */
    public boolean nodesNeedDeviceMapper() {
        return NEED_DEVICE_MAPPER.contains(storageDriver) || NEED_DEVICE_MAPPER.contains(backingFilesystem);
    }
}
