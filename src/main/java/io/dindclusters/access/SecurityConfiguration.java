package io.dindclusters.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authentication on Spring Security, for a stateless API: no sessions, no CSRF (no cookies are ever read), no login
 * page, no basic auth. The cluster API, the Docker hosts and the Kubernetes versions (and the Prometheus endpoint
 * with {@code dind.security.protect-metrics}) need a bearer token once static tokens or OIDC issuers are configured;
 * health, the OpenAPI document and its UI stay open. Without either, every caller is the local admin, and
 * {@link LoopbackWithoutTokens} keeps the service on loopback.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String[] API = {"/clusters", "/clusters/**", "/events", "/docker-hosts", "/kubernetes-versions"};

    @Bean
    SecurityFilterChain api(HttpSecurity http, AccessProperties properties, JsonMapper json, AuditLog audit)
            throws Exception {
        http.csrf(c -> c.disable()).httpBasic(b -> b.disable()).formLogin(f -> f.disable()).logout(l -> l.disable())
                .requestCache(r -> r.disable()).anonymous(a -> a.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        if (properties.open()) {
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
        } else {
            ProblemEntryPoint entryPoint = new ProblemEntryPoint(json, audit);
            ApiAuthentication authentication = new ApiAuthentication(properties);
            http.authorizeHttpRequests(a -> {
                a.requestMatchers(API).authenticated();
                if (properties.protectMetrics()) {
                    a.requestMatchers("/actuator/prometheus").authenticated();
                }
                a.anyRequest().permitAll();
            });
            http.oauth2ResourceServer(o -> o.authenticationManagerResolver(request -> authentication)
                    .authenticationEntryPoint(entryPoint));
            http.exceptionHandling(e -> e.authenticationEntryPoint(entryPoint));
        }
        http.addFilterAfter(new CallerAttribute(properties.open()), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    /** Hands the authenticated caller (or, with nothing configured, the local admin) to the controllers. */
    static final class CallerAttribute extends OncePerRequestFilter {
        private final boolean open;

        CallerAttribute(boolean open) {
            this.open = open;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            var authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication instanceof ApiAuthentication.CallerAuthentication caller) {
                request.setAttribute(Caller.ATTRIBUTE, caller.getPrincipal());
            } else if (open) {
                request.setAttribute(Caller.ATTRIBUTE, Caller.LOCAL);
            }
            chain.doFilter(request, response);
        }
    }
}
