package io.dindclusters.kube;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Edits of the admin kubeconfig kubeadm writes. */
public final class Kubeconfigs {

    private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*server:\\s*).*$");

    private Kubeconfigs() {
    }

    /** Points every cluster entry at {@code server}, the address users reach the API server by. */
    public static String withServer(String kubeconfig, String server) {
        Matcher m = SERVER.matcher(kubeconfig);
        if (!m.find()) {
            throw new IllegalArgumentException("the kubeconfig names no server");
        }
        return SERVER.matcher(kubeconfig).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + server));
    }

    /**
     * The kubeconfig kubeadm would have written for a cluster named {@code to} instead of {@code from}: kubeadm
     * names the cluster entry after ClusterConfiguration's clusterName and the context user@clusterName. Only whole
     * values change, so everything else stays byte for byte.
     */
    public static String renamed(String kubeconfig, String from, String to) {
        Pattern entry = Pattern.compile("(?m)^([ \\t]*(?:- )?(?:name|cluster|current-context):[ \\t]*)([\"']?)"
                + "((?:[^@\\s\"']+@)?)" + Pattern.quote(from) + "\\2([ \\t]*)$");
        return entry.matcher(kubeconfig).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + r.group(3)
                + to + r.group(2) + r.group(4)));
    }

    /** https://host:port, with an IPv6 host in brackets. */
    public static String url(String host, int port) {
        return "https://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
