package io.dindclusters.access;

/**
 * Who is asking: the owner the request's API token maps to, and whether that token is an admin's (sees and manages
 * every owner's clusters). With no tokens configured every request is the local admin.
 */
public record Caller(String owner, boolean admin) {

    /** The request attribute the caller is kept under. */
    public static final String ATTRIBUTE = "io.dindclusters.access.Caller";
    public static final Caller LOCAL = new Caller("local", true);

    /** Whether this caller may see and manage a cluster of {@code clusterOwner}. */
    public boolean mayAccess(String clusterOwner) {
        return admin || owner.equals(clusterOwner);
    }
}
