package io.dindclusters.access;

import io.dindclusters.api.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import tools.jackson.databind.json.JsonMapper;

/**
 * A refused request gets 401 with Spring Security's {@code WWW-Authenticate: Bearer} header (error and reason for a
 * bad token, as RFC 6750 asks) and an RFC 9457 problem body, and an audit line. Never the token.
 */
final class ProblemEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint header = new BearerTokenAuthenticationEntryPoint();
    private final JsonMapper json;
    private final AuditLog audit;

    ProblemEntryPoint(JsonMapper json, AuditLog audit) {
        this.json = json;
        this.audit = audit;
        header.setRealmName("dind-clusters");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean noToken = request.getHeader("Authorization") == null;
        audit.record("authenticate", null, request.getMethod() + " " + request.getRequestURI(),
                noToken ? "no-token" : "invalid-token");
        header.commence(request, response, e);
        ProblemResponses.write(request, response, json, HttpStatus.UNAUTHORIZED, "Unauthorized", noToken
                ? "This API needs Authorization: Bearer TOKEN (a static token or an OIDC token of a configured issuer)."
                : "The token was refused: " + e.getMessage() + ".");
    }
}
