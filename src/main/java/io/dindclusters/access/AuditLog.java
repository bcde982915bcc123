package io.dindclusters.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;

/**
 * The audit trail: every create, delete and time-to-live change, and every refused authentication or authorization,
 * as one line on the {@code io.dindclusters.audit} logger ({@code audit action=... owner=... cluster=...
 * result=...}, values quoted when they hold anything but plain characters) and as the counter
 * {@code dind.audit.events{action, result}}. Never a token, a body or a kubeconfig: only who, what, which and how
 * it ended.
 */
@Component
public class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.dindclusters.audit");

    private final MeterRegistry meters;

    public AuditLog(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * Records one action. {@code cluster} is the cluster (or, for a refused authentication, the request) acted on,
     * null when none is known yet; only {@code action} and {@code result}, both from a small fixed set, are metric tags.
     */
    public void record(String action, String owner, String cluster, String result) {
        LOG.info("audit action={} owner={} cluster={} result={}", value(action), value(owner), value(cluster),
                value(result));
        Counter.builder("dind.audit.events").description("Audited actions by outcome")
                .tag("action", action).tag("result", result).register(meters).increment();
    }

    /**
     * Runs {@code work} and records it: {@code done} names the result and cluster from what it returned; a refusal
     * is recorded with its HTTP status and thrown on.
     */
    public <T> T around(String action, Caller caller, String cluster, Supplier<T> work,
                        java.util.function.Function<T, String[]> done) {
        try {
            T result = work.get();
            String[] outcome = done.apply(result);
            record(action, caller.owner(), outcome[0], outcome[1]);
            return result;
        } catch (RuntimeException e) {
            String status = e instanceof ErrorResponse error ? String.valueOf(error.getStatusCode().value()) : "error";
            record(action, caller.owner(), cluster, "refused-" + status);
            throw e;
        }
    }

    /** Plain values as they are; anything else quoted, with quotes, backslashes and control characters escaped. */
    static String value(String raw) {
        if (raw == null) {
            return "-";
        }
        if (raw.matches("[A-Za-z0-9._:/@-]{1,200}")) {
            return raw;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : raw.substring(0, Math.min(raw.length(), 200)).toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
