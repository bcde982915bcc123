package io.dindclusters.cluster;

import io.dindclusters.api.InvalidField;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 422: bootstrap kubeadm on a fleet where no Docker host allows privileged node containers, which kind nodes need
 * (systemd and kubelet want a writable cgroup file system, /proc/sys and /dev/kmsg). Waiting does not help, so this
 * is no 503; nothing was stored or created.
 */
class KubeadmNeedsPrivilegedException extends ErrorResponseException {

    KubeadmNeedsPrivilegedException(Map<String, String> whyNot) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(whyNot), null);
    }

    private static ProblemDetail problem(Map<String, String> whyNot) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                "bootstrap kubeadm needs privileged node containers, and no Docker host of this service allows them; "
                        + "nothing was created. Ask for bootstrap none, or have the service run on a Docker host that "
                        + "allows --privileged (dind.docker.node-security privileged or auto).");
        problem.setTitle("Kubernetes needs privileged nodes");
        problem.setProperty("errors", List.of(new InvalidField("bootstrap",
                "kubeadm needs a Docker host that allows --privileged; none does")));
        problem.setProperty("dockerHosts", whyNot);
        return problem;
    }
}
