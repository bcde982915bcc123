package io.dindclusters.cluster;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rules that span several fields of a spec: labels, and the network against the ipMode. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ClusterSpecValidator.class)
@interface ValidClusterSpec {
    String message() default "invalid cluster spec";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
