package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.ServiceTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** While one replica sweeps expired clusters, another's sweep returns at once instead of sweeping too. */
@ServiceTest
class SweepLockTest {

    @Autowired
    ClusterRepository repository;
    @Autowired
    ClusterService service;
    @Autowired
    TransactionTemplate transaction;

    /**
     * The service's own scheduled sweep (every second in tests) takes the same lock row now and then: the holder
     * below takes it once that sweep lets go (each try its own transaction), and the sweep after the release is
     * retried likewise, each within a declared bound.
     */
    @Test
    void aSweepWhileAnotherHoldsTheLockSkips() throws Exception {
        var held = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var holder = CompletableFuture.runAsync(() -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (held.getCount() > 0 && System.nanoTime() < end) {
                transaction.executeWithoutResult(tx -> {
                    if (repository.tryLock("expiry-sweep")) {
                        held.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
                pause();
            }
        });
        assertThat(held.await(30, TimeUnit.SECONDS)).as("the holder took the lock").isTrue();

        int whileHeld = CompletableFuture.supplyAsync(service::deleteExpired).get(30, TimeUnit.SECONDS);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        int afterwards = -1;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (afterwards < 0 && System.nanoTime() < end) {
            afterwards = CompletableFuture.supplyAsync(service::deleteExpired).get(30, TimeUnit.SECONDS);
            if (afterwards < 0) {
                pause();
            }
        }

        assertThat(whileHeld).isEqualTo(-1);
        assertThat(afterwards).as("a sweep once nobody holds the lock").isNotNegative();
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
