package io.dindclusters.access;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Turns a bearer token into a {@link Caller}: a static token by its hash, else a JWT of a configured OIDC issuer.
 * Anything else is an invalid token (401, with the reason in {@code WWW-Authenticate}).
 */
final class ApiAuthentication implements AuthenticationManager {

    /** An authenticated caller; the token itself is not kept. */
    static final class CallerAuthentication extends AbstractAuthenticationToken {
        private final Caller caller;

        CallerAuthentication(Caller caller) {
            super(List.of());
            this.caller = caller;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Caller getPrincipal() {
            return caller;
        }
    }

    private final StaticTokens staticTokens;
    private final OidcTokens oidcTokens;

    ApiAuthentication(AccessProperties properties) {
        this.staticTokens = new StaticTokens(properties);
        this.oidcTokens = new OidcTokens(properties.oidc());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        Caller caller = staticTokens.find(token);
        if (caller == null && oidcTokens.configured() && OidcTokens.looksLikeJwt(token)) {
            caller = oidcTokens.authenticate(token);
        }
        if (caller == null) {
            throw new InvalidBearerTokenException("the token is not one this service knows");
        }
        return new CallerAuthentication(caller);
    }
}
