package io.dindclusters.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * {@link ServiceTest} whose readiness step talks to {@link KubernetesApiDouble}; node containers come from the
 * kind-node-double image ({@link TestImageBuilder}), whose kubeadm, kubectl and systemctl are test doubles.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ServiceTest
@Import(KubernetesApiDouble.class)
public @interface KubeadmServiceTest {
}
