package io.dindclusters.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The configured static tokens: a token is hashed and compared in constant time with every configured hash, so
 * timing tells nothing about which one nearly matched. Only hashes are kept.
 */
final class StaticTokens {

    private final List<AccessProperties.Token> tokens;
    private final byte[][] hashes;

    StaticTokens(AccessProperties properties) {
        this.tokens = properties.tokens();
        this.hashes = properties.hashes();
    }

    /** The caller a token stands for, or null. */
    Caller find(String token) {
        byte[] hash = sha256(token);
        Caller found = null;
        for (int i = 0; i < hashes.length; i++) {
            if (MessageDigest.isEqual(hash, hashes[i]) && found == null) {
                found = new Caller(tokens.get(i).owner(), tokens.get(i).admin());
            }
        }
        return found;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
