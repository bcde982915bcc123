package io.dindclusters.network;

/** One broken rule: the field it concerns (a dotted path under the spec) and a sentence a person understands. */
public record Violation(String field, String message) {
}
