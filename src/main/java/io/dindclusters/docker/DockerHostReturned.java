package io.dindclusters.docker;

/** A Docker host that could not be reached answers again. */
public record DockerHostReturned(String host) {
}
