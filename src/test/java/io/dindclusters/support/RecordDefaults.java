package io.dindclusters.support;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The {@code @DefaultValue} a configuration record gives a component when nothing sets it. */
public final class RecordDefaults {

    private RecordDefaults() {
    }

    /** The single default value of {@code component} of {@code record}; fails when it has none or several. */
    public static String of(Class<? extends Record> record, String component) {
        RecordComponent[] components = record.getRecordComponents();
        try {
            var canonical = record.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            for (int i = 0; i < components.length; i++) {
                if (components[i].getName().equals(component)) {
                    DefaultValue value = canonical.getParameters()[i].getAnnotation(DefaultValue.class);
                    if (value == null || value.value().length != 1) {
                        throw new IllegalArgumentException(record.getSimpleName() + "." + component
                                + " has no single @DefaultValue");
                    }
                    return value.value()[0];
                }
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException(record.getSimpleName() + " has no component " + component);
    }
}
