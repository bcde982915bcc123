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

    @Test
    void aSweepWhileAnotherHoldsTheLockSkips() throws Exception {
        var held = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var holder = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(tx -> {
            assertThat(repository.tryLock("expiry-sweep")).isTrue();
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

        int whileHeld = CompletableFuture.supplyAsync(service::deleteExpired).get(30, TimeUnit.SECONDS);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        int afterwards = CompletableFuture.supplyAsync(service::deleteExpired).get(30, TimeUnit.SECONDS);

        assertThat(whileHeld).isEqualTo(-1);
        assertThat(afterwards).isNotNegative();
    }
}
