package io.dindclusters.kube;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes version of a node image, as kind node images state it in /kind/version ("v1.33.1"), and the kubeadm
 * configuration API that version reads.
 */
public record KubernetesVersion(int major, int minor, int patch, String text) {

    /** The oldest minor release whose kubeadm reads the configuration rendered here (v1beta3). */
    public static final int OLDEST_MINOR = 27;
    private static final Pattern FORM = Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)([-+][0-9A-Za-z.+-]*)?$");

    public static KubernetesVersion parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        Matcher m = FORM.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes version: " + trimmed);
        }
        String canonical = trimmed.startsWith("v") ? trimmed : "v" + trimmed;
        return new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), canonical);
    }

    public boolean isSupported() {
        return major == 1 && minor >= OLDEST_MINOR;
    }

    /** kubeadm.k8s.io/v1beta4 from 1.31 (where it appeared), v1beta3 before. */
    public String kubeadmApiVersion() {
        return minor >= 31 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";
    }

    /** v1beta4 writes extra arguments as lists of name/value pairs; v1beta3 as maps. */
    boolean argumentsAsList() {
        return minor >= 31;
    }

    @Override
    public String toString() {
        return text;
    }
}
