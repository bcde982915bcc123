package io.dindclusters.network;

import inet.ipaddr.IPAddress;
import java.util.Collection;
import java.util.Iterator;
import java.util.Optional;

/** Finds free blocks in a pool. Pure: what is taken is passed in. */
public final class BlockAllocator {

    /** Blocks tried at most per allocation, so a huge, crowded pool cannot stall a request. */
    static final int MAX_CANDIDATES = 65_536;

    private BlockAllocator() {
    }

    /**
     * The first block of {@code pool} that overlaps nothing in {@code taken}.
     *
     * @return empty when the pool has no free block (among the first {@value #MAX_CANDIDATES})
     */
    public static Optional<IPAddress> firstFree(AddressPool pool, Collection<IPAddress> taken) {
        Iterator<? extends IPAddress> blocks = pool.blocks();
        for (int tried = 0; blocks.hasNext() && tried < MAX_CANDIDATES; tried++) {
            IPAddress block = blocks.next();
            if (taken.stream().noneMatch(block::overlaps)) {
                return Optional.of(block);
            }
        }
        return Optional.empty();
    }
}
