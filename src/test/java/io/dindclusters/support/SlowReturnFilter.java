package io.dindclusters.support;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A test double of a slow filter on the way out (as Spring Security's header writer is under load): a request with
 * the header {@value #HEADER} is held that many milliseconds after the rest of the chain returned, just inside the
 * service's outermost filter, and the moment it is let go is kept under the header {@value #TOKEN}'s value. Other
 * requests pass untouched. Registered in every service on the test class path, so no test needs a context of its own.
 */
public final class SlowReturnFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Test-Slow-Return-Ms";
    public static final String TOKEN = "X-Test-Slow-Return-Token";
    private static final Map<String, Long> RETURNED = new ConcurrentHashMap<>();

    /** When (System.nanoTime) the request with this token left this filter, or null while it has not. */
    public static Long returnedAt(String token) {
        return RETURNED.get(token);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String hold = request.getHeader(HEADER);
        try {
            chain.doFilter(request, response);
        } finally {
            if (hold != null) {
                try {
                    Thread.sleep(Math.min(Long.parseLong(hold), 5000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // what such a filter does: it reads the response's headers
                response.getHeaderNames().forEach(response::getHeader);
                String token = request.getHeader(TOKEN);
                if (token != null) {
                    RETURNED.put(token, System.nanoTime());
                }
            }
        }
    }

    @AutoConfiguration
    public static class Registration {
        @Bean
        FilterRegistrationBean<SlowReturnFilter> slowReturnFilter() {
            FilterRegistrationBean<SlowReturnFilter> registration = new FilterRegistrationBean<>(new SlowReturnFilter());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
            return registration;
        }
    }
}
