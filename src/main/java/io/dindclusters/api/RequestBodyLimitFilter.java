package io.dindclusters.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses request bodies larger than {@code dind.api.max-request-body} (default 64KB; a cluster spec is a few hundred
 * bytes) with a 413 problem, before anything parses them: by Content-Length when given, else by reading at most
 * one byte more than the limit.
 */
@Component
class RequestBodyLimitFilter extends OncePerRequestFilter {

    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final long limit;
    private final JsonMapper json;

    RequestBodyLimitFilter(@Value("${dind.api.max-request-body:64KB}") DataSize limit, JsonMapper json) {
        this.limit = limit.toBytes();
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > limit) {
            // Read (and drop) a body of reasonable size, so the client is not cut off while still sending and can
            // read the answer; a larger one is answered at once and the connection closed.
            if (length <= DRAIN_LIMIT) {
                request.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            }
            refuse(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 1, limit + 1));
        if (body.length > limit) {
            refuse(request, response);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The client may still be sending; closing keeps it from writing megabytes we will not read.
        response.setHeader("Connection", "close");
        ProblemResponses.write(request, response, json, HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                "The request body is larger than " + limit + " bytes (dind.api.max-request-body).");
    }

    /** The request with its body already read into memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
