package io.dindclusters.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link ServiceTest} for bootstrap kubeadm with the kind-node-double image ({@link TestImageBuilder}): its
 * entrypoint, init, systemctl, kubeadm, kubelet, kubectl and API server are test doubles, and the service reaches that
 * API server double only through the kubeconfig it stored, as a user would. These machines refuse --privileged, so
 * the context allows kubeadm under the capabilities profile (unsupported for real kind images); the
 * {@link OutsideWorld} network is the uplink. Classes call {@link OutsideWorld#get()} before creating clusters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ServiceTest
@TestPropertySource(properties = {"dind.docker.unprivileged-kubeadm=true",
        OutsideWorld.UPLINK})
public @interface KubeadmServiceTest {
}
