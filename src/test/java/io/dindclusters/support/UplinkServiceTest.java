package io.dindclusters.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link ServiceTest} with the {@link OutsideWorld} network as the service's uplink: clusters' NAT64 and DNS64 (ipv6)
 * and nodes (ipv4, dual) reach the test's outside world. Classes call {@link OutsideWorld#get()} before creating
 * clusters. Every class with this annotation shares one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ServiceTest
@TestPropertySource(properties = OutsideWorld.UPLINK)
public @interface UplinkServiceTest {
}
