package io.dindclusters.nat64;

/**
 * bind9's configuration for a cluster's DNS64 server: a forward-only resolver for the cluster's nodes and pods that
 * asks the remote IPv4 server and synthesizes AAAA records inside the cluster's prefix. Rendered only from a
 * {@link Nat64Plan}, whose values are validated addresses.
 */
public final class NamedConf {

    private NamedConf() {
    }

    public static String render(Nat64Plan plan) {
        StringBuilder clients = new StringBuilder("localhost; ");
        plan.clients().forEach(c -> clients.append(c).append("; "));
        // exclude { any; } ignores every real AAAA record, so each answer is synthesized from A records and all
        // traffic goes through NAT64 (the prior art's answer to "AAAA use not allowed").
        String exclude = plan.allowAaaaUse() ? "" : "\t\texclude { any; };\n";
        return "// DNS64 of one dind-clusters cluster; rendered by the service, do not edit.\n"
                + "options {\n"
                + "\tdirectory \"/var/cache/bind\";\n"
                + "\tlisten-on { 127.0.0.1; };\n"
                + "\tlisten-on-v6 { any; };\n"
                + "\tallow-query { " + clients + "};\n"
                + "\tallow-recursion { " + clients + "};\n"
                + "\trecursion yes;\n"
                + "\tforward only;\n"
                + "\tforwarders { " + plan.remoteServer() + "; };\n"
                // Synthesized answers cannot validate, and forwarding alone must not need the root's keys.
                + "\tdnssec-validation no;\n"
                + "\tdns64 " + plan.prefix() + " {\n"
                + "\t\tclients { any; };\n"
                + exclude
                + "\t};\n"
                + "};\n";
    }
}
