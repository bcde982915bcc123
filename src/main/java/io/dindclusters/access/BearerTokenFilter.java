package io.dindclusters.access;

import io.dindclusters.api.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who is calling: with tokens configured, the cluster API (and the Prometheus endpoint when protected) needs
 * {@code Authorization: Bearer TOKEN}; the token is hashed and compared in constant time with the configured hashes,
 * and never logged. Without tokens every request is the local admin (the service then listens on loopback only).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BearerTokenFilter extends OncePerRequestFilter {

    private final AccessProperties properties;
    private final byte[][] hashes;
    private final JsonMapper json;
    private final AuditLog audit;

    BearerTokenFilter(AccessProperties properties, JsonMapper json, AuditLog audit) {
        this.audit = audit;
        this.properties = properties;
        this.hashes = properties.hashes();
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        boolean metrics = path.equals("/actuator/prometheus");
        return !(path.equals("/clusters") || path.startsWith("/clusters/") || path.equals("/docker-hosts")
                || path.equals("/kubernetes-versions")
                || (metrics && properties.protectMetrics()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (properties.tokens().isEmpty()) {
            request.setAttribute(Caller.ATTRIBUTE, Caller.LOCAL);
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader("Authorization");
        Caller caller = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? caller(header.substring(7).strip()) : null;
        if (caller == null) {
            // the attempt, never the token: what was asked for, and whether a token came at all
            audit.record("authenticate", null, request.getMethod() + " " + request.getRequestURI(),
                    header == null ? "no-token" : "unknown-token");
            refuse(request, response, header == null ? "This API needs Authorization: Bearer TOKEN."
                    : "The token is not one this service knows.");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }

    private Caller caller(String token) {
        byte[] hash = sha256(token);
        Caller found = null;
        // Compare with every hash, in constant time, so timing tells nothing about which one nearly matched.
        for (int i = 0; i < hashes.length; i++) {
            if (MessageDigest.isEqual(hash, hashes[i]) && found == null) {
                AccessProperties.Token t = properties.tokens().get(i);
                found = new Caller(t.owner(), t.admin());
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

    private void refuse(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"dind-clusters\"");
        ProblemResponses.write(request, response, json, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }
}
