package io.dindclusters.events;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tells an event stream's writer that the request thread has left every filter. Tomcat's response is not safe for
 * two threads: filters still read and write its headers on the way out (Spring Security writes Cache-Control and
 * friends after the chain), and a writer whose first send commits the response at that moment corrupted them
 * (measured: a NullPointerException in Tomcat's MimeHeaders, one stream in about a thousand ended mid-way). Outermost,
 * so nothing touches the response after it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class StreamHandOffFilter extends OncePerRequestFilter {

    /** Request attribute: what to run once the request thread is out (set by {@link EventStreamer}). */
    static final String ATTRIBUTE = StreamHandOffFilter.class.getName() + ".returned";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.getAttribute(ATTRIBUTE) instanceof Runnable returned) {
                returned.run();
            }
        }
    }
}
