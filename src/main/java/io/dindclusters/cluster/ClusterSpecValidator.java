package io.dindclusters.cluster;

import io.dindclusters.network.NetworkRules;
import io.dindclusters.network.Violation;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks the cross-field rules of {@link ValidClusterSpec} and reports each broken one on its own field. */
class ClusterSpecValidator implements ConstraintValidator<ValidClusterSpec, ClusterSpec> {

    private final ClusterProperties properties;

    ClusterSpecValidator(ClusterProperties properties) {
        this.properties = properties;
    }

    static final int MAX_LABELS = 32;
    private static final Pattern LABEL_KEY = Pattern.compile(
            "^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");

    @Override
    public boolean isValid(ClusterSpec spec, ConstraintValidatorContext context) {
        if (spec == null) {
            return true;
        }
        List<Violation> violations = new ArrayList<>(checkLabels(spec.labels()));
        if (spec.ttl() != null) {
            String problem = ClusterTtl.problem(spec.ttl(), properties.maxTtl());
            if (problem != null) {
                violations.add(new Violation("ttl", problem));
            }
        }
        violations.addAll(NetworkRules.check(spec.ipMode(), spec.network()));
        if (violations.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        for (Violation v : violations) {
            // Messages are templates: escape them so no character is ever interpolated.
            context.buildConstraintViolationWithTemplate(escape(v.message()))
                    .addPropertyNode(v.field())
                    .addConstraintViolation();
        }
        return false;
    }

    static List<Violation> checkLabels(Map<String, String> labels) {
        List<Violation> violations = new ArrayList<>();
        if (labels == null) {
            return violations;
        }
        if (labels.size() > MAX_LABELS) {
            violations.add(new Violation("labels", "must have at most " + MAX_LABELS + " entries"));
            return violations;
        }
        for (var entry : labels.entrySet()) {
            if (!LABEL_KEY.matcher(entry.getKey()).matches()) {
                violations.add(new Violation("labels", "has a key that is not a label key: up to 63 characters of "
                        + "a-z, A-Z, 0-9, '-', '_', '.', starting and ending alphanumeric, with an optional DNS prefix and '/'"));
            } else if (entry.getValue() == null || !LABEL_VALUE.matcher(entry.getValue()).matches()) {
                violations.add(new Violation("labels", "has a value that is not a label value: up to 63 characters of "
                        + "a-z, A-Z, 0-9, '-', '_', '.', starting and ending alphanumeric, or empty"));
            }
        }
        return violations;
    }

    private static String escape(String message) {
        return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
