package io.dindclusters.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** Which paths need a token, and what a valid one makes of the caller. */
class BearerTokenFilterTest {

    private static final AccessProperties.Token ADMIN = new AccessProperties.Token("ops",
            "00f5f9625c49504b0776853a9cd04aa7a75f26b4760fc7fd555437b111b54390", true);

    private static MockHttpServletResponse call(boolean protectMetrics, String path, String authorization,
                                                MockHttpServletRequest request) throws Exception {
        var filter = new BearerTokenFilter(new AccessProperties(List.of(ADMIN), protectMetrics), JsonMapper.builder().build(),
                new AuditLog(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        request.setRequestURI(path);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        var response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void theMetricsEndpointNeedsATokenOnlyWhenProtected() throws Exception {
        assertThat(call(false, "/actuator/prometheus", null, new MockHttpServletRequest()).getStatus()).isEqualTo(200);
        assertThat(call(true, "/actuator/prometheus", null, new MockHttpServletRequest()).getStatus()).isEqualTo(401);
        assertThat(call(true, "/actuator/prometheus", "Bearer token-admin", new MockHttpServletRequest()).getStatus())
                .isEqualTo(200);
        assertThat(call(true, "/actuator/health", null, new MockHttpServletRequest()).getStatus()).isEqualTo(200);
    }

    @Test
    void aValidTokenBecomesItsOwnersCaller() throws Exception {
        var request = new MockHttpServletRequest();
        call(false, "/clusters", "bearer token-admin", request);
        assertThat(request.getAttribute(Caller.ATTRIBUTE)).isEqualTo(new Caller("ops", true));
    }
}
