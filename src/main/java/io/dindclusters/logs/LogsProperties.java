package io.dindclusters.logs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Logs bundles (GET /clusters/{id}/logs).
 *
 * @param maxPartSize    most bytes of one part (a log, a journal, a file); a longer one keeps its end, which is where
 *                       a failure shows
 * @param partTimeout    longest one part may take to collect; a part that takes longer is listed as not collected
 * @param captureTimeout longest the capture of a failed cluster's container parts may take before its teardown
 * @param maxCaptured    most bytes kept of a failed cluster's captured container parts (compressed)
 * @param logLines       last lines of each container's log
 * @param journalLines   last lines of each kubeadm node's kubelet and containerd journals
 */
@ConfigurationProperties("dind.logs")
public record LogsProperties(
        @DefaultValue("8MB") DataSize maxPartSize,
        @DefaultValue("30s") Duration partTimeout,
        @DefaultValue("60s") Duration captureTimeout,
        @DefaultValue("16MB") DataSize maxCaptured,
        @DefaultValue("10000") int logLines,
        @DefaultValue("20000") int journalLines) {
}
