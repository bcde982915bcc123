package io.dindclusters.access;

import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * OIDC tokens of CI systems: the unverified {@code iss} picks one of the configured issuers (any other is refused
 * before a key is fetched), whose decoder checks the signature against its keys, the expiry, the issuer and the
 * audience; the owner claim's value (with the issuer's prefix) becomes the owner. Each refusal says why, for the
 * {@code WWW-Authenticate} header.
 */
final class OidcTokens {

    /** What an owner may look like: it ends up in labels, metrics and logs. */
    private static final Pattern OWNER = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$");

    private record Issuer(AccessProperties.Oidc config, JwtDecoder decoder) {
    }

    private final Map<String, Issuer> issuers = new LinkedHashMap<>();

    OidcTokens(List<AccessProperties.Oidc> configs) {
        for (AccessProperties.Oidc config : configs) {
            issuers.put(config.issuer(), new Issuer(config, decoder(config)));
        }
    }

    boolean configured() {
        return !issuers.isEmpty();
    }

    /** Whether a token has the shape of a JWT (three base64url parts), rather than a static token. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    Caller authenticate(String token) {
        String iss;
        try {
            iss = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new InvalidBearerTokenException("the token is not a well-formed JWT");
        }
        Issuer issuer = iss == null ? null : issuers.get(iss);
        if (issuer == null) {
            throw new InvalidBearerTokenException("the token's issuer is not one this service trusts");
        }
        Jwt jwt;
        try {
            jwt = issuer.decoder().decode(token);
        } catch (JwtException e) {
            throw new InvalidBearerTokenException(e.getMessage(), e);
        }
        Object claim = jwt.getClaims().get(issuer.config().ownerClaim());
        if (!(claim instanceof String value) || !OWNER.matcher(value).matches()) {
            throw new InvalidBearerTokenException("the token has no usable " + issuer.config().ownerClaim() + " claim");
        }
        return new Caller(issuer.config().ownerPrefix() + value, issuer.config().adminClaimValues().contains(value));
    }

    /** Lazy: keys (and, without jwksUri, the issuer's configuration) are fetched at the first token, not at start. */
    private static JwtDecoder decoder(AccessProperties.Oidc config) {
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = config.jwksUri() == null || config.jwksUri().isBlank()
                    ? NimbusJwtDecoder.withIssuerLocation(config.issuer()).build()
                    : NimbusJwtDecoder.withJwkSetUri(config.jwksUri()).build();
            decoder.setJwtValidator(validator(config));
            return decoder;
        });
    }

    private static OAuth2TokenValidator<Jwt> validator(AccessProperties.Oidc config) {
        OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null
                && jwt.getAudience().contains(config.audience()) ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                "the token's audience is not this service's (" + config.audience() + ")", null));
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(config.issuer()), audience);
    }
}
