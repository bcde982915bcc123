package io.dindclusters.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.dindclusters.support.Api;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OIDC tokens of a CI system beside a static token, through the HTTP API: a local JWKS endpoint (the JDK's HTTP
 * server on loopback) publishes a key the test makes and signs with; nothing leaves the machine (the issuer URL is
 * only compared, never fetched, since jwks-uri is given).
 */
@Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dind.docker.instance=test-${dind.test.run}-oidc",
        "dind.security.tokens[0].owner=team-a",
        "dind.security.tokens[0].sha256=a70bf50e531ce1a817561f2f5d5b6645d4e806becf58ccc5e8cf6b8045a090a8",
        "dind.security.protect-metrics=true"})
class OidcTokensTest {

    static final String ISSUER = "https://token.actions.githubusercontent.com";
    private static final RSAKey KEY = key("k1");
    private static final HttpServer JWKS = jwks(KEY);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        // A list binds from one property source only: every property of the issuer is here.
        registry.add("dind.security.oidc[0].issuer", () -> ISSUER);
        registry.add("dind.security.oidc[0].audience", () -> "dind-clusters");
        registry.add("dind.security.oidc[0].owner-claim", () -> "repository_owner");
        registry.add("dind.security.oidc[0].owner-prefix", () -> "gh-");
        registry.add("dind.security.oidc[0].admin-claim-values", () -> "ops-org");
        registry.add("dind.security.oidc[0].jwks-uri",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks");
    }

    @AfterAll
    static void stop() {
        JWKS.stop(0);
    }

    @Test
    void aCiJobsTokenMakesItsOwnerTheClustersOwnerAndTenantsStayApart() {
        Api api = new Api(port);
        String acme = token(KEY, claims -> { });
        Api.Response created = api.postWithHeaders("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}", bearer(acme));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.json().get("owner").asString()).isEqualTo("gh-acme");
        String id = created.json().get("id").asString();

        assertThat(api.get("/clusters/" + id, bearer("token-a")).status()).as("a static token's owner").isEqualTo(404);
        assertThat(api.get("/clusters/" + id, bearer(token(KEY, c -> c.claim("repository_owner", "other"))))
                .status()).as("another organisation").isEqualTo(404);
        String admin = token(KEY, c -> c.claim("repository_owner", "ops-org"));
        assertThat(api.get("/clusters/" + id, bearer(admin)).status()).as("an admin organisation").isEqualTo(200);
        assertThat(api.get("/docker-hosts", bearer(acme)).status()).isEqualTo(403);
        assertThat(api.get("/docker-hosts", bearer(admin)).status()).isEqualTo(200);

        assertThat(api.get("/clusters/" + id + "?wait=60s", bearer(acme)).json().get("status").asString())
                .isEqualTo("RUNNING");
        assertThat(api.deleteWithHeaders("/clusters/" + id, bearer(acme)).status()).isEqualTo(202);
        assertThat(api.get("/clusters/" + id + "?wait=60s", bearer(acme)).json().get("status").asString())
                .isEqualTo("DELETED");
    }

    @Test
    void everyKindOfBadTokenIs401SayingWhy() throws Exception {
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("expired", token(KEY, c -> c.issueTime(Date.from(Instant.now().minusSeconds(900)))
                .expirationTime(Date.from(Instant.now().minusSeconds(600)))));
        refusals.put("signature", token(key("k1"), c -> { }));
        refusals.put("issuer", token(KEY, c -> c.issuer("https://gitlab.example.test")));
        refusals.put("audience", token(KEY, c -> c.audience("someone-else")));
        refusals.put("claim", token(KEY, c -> c.claim("repository_owner", null)));
        refusals.put("none", new PlainJWT(claims(c -> { }).build()).serialize());
        refusals.put("known", "not-a-token");
        Map<String, String> reasons = Map.of("expired", "expired", "signature", "signature",
                "issuer", "issuer is not one this service trusts", "audience", "audience",
                "claim", "no usable repository_owner claim", "none", "", "known", "not one this service knows");

        Api api = new Api(port);
        for (var refusal : refusals.entrySet()) {
            Api.Response refused = api.get("/clusters", bearer(refusal.getValue()));
            assertThat(refused.status()).as(refusal.getKey()).isEqualTo(401);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            String challenge = refused.header("WWW-Authenticate");
            assertThat(challenge).as(refusal.getKey()).startsWith("Bearer").contains("error=\"invalid_token\"")
                    .containsIgnoringCase(reasons.get(refusal.getKey()));
            assertThat(refused.body()).doesNotContain(refusal.getValue());
        }
    }

    @Test
    void theProtectedMetricsTakeEitherKindOfToken() {
        Api api = new Api(port);
        assertThat(api.get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(api.get("/actuator/prometheus", bearer(token(KEY, c -> { }))).status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus", bearer("token-a")).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health").status()).as("health stays open").isEqualTo(200);
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    /** What GitHub Actions puts in a job's token, for this service's audience, valid for five minutes. */
    private static JWTClaimsSet.Builder claims(Consumer<JWTClaimsSet.Builder> change) {
        var claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience("dind-clusters")
                .subject("repo:acme/app:ref:refs/heads/main").claim("repository_owner", "acme")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)));
        change.accept(claims);
        return claims;
    }

    private static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> change) {
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims(change).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey key(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer jwks(RSAKey key) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(List.of(key.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
