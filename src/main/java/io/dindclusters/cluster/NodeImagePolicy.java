package io.dindclusters.cluster;

import io.dindclusters.api.InvalidField;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Which node images a request may run. Node containers run privileged on real hosts, so whoever picks the image
 * owns the Docker host: only images matching {@code dind.clusters.allowed-node-images} are run, whether a request
 * names them or gets the default. A pattern is matched against the whole reference; {@code *} stands for any run
 * of characters within one path component, tag or port (never a "/"), so {@code kindest/node:*} allows every tag
 * and digest of that repository and nothing else. A reference without a tag is matched as {@code :latest}, and one
 * of Docker Hub may be written with or without {@code docker.io/} (and {@code library/}).
 */
@Component
public class NodeImagePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(NodeImagePolicy.class);

    private final List<String> patterns;
    private final List<Pattern> compiled;

    NodeImagePolicy(ClusterProperties properties) {
        this.patterns = properties.allowedNodeImages().isEmpty()
                ? List.of(repository(properties.defaultNodeImage()) + ":*") : List.copyOf(properties.allowedNodeImages());
        this.compiled = patterns.stream().map(NodeImagePolicy::compile).toList();
        if (!allows(properties.defaultNodeImage())) {
            LOG.warn("dind.clusters.default-node-image {} matches none of dind.clusters.allowed-node-images: clusters "
                    + "that name no node image are refused", properties.defaultNodeImage());
        }
    }

    /** Refuses {@code image} with a 403 unless a pattern allows it. */
    public void check(String image) {
        if (!allows(image)) {
            throw new NotAllowed(image, patterns.size());
        }
    }

    public boolean allows(String image) {
        List<String> forms = forms(image);
        return compiled.stream().anyMatch(p -> forms.stream().anyMatch(f -> p.matcher(f).matches()));
    }

    /** The forms a reference may be written in: as given, with :latest when untagged, and without docker.io/. */
    static List<String> forms(String image) {
        String tagged = hasTagOrDigest(image) ? image : image + ":latest";
        java.util.Set<String> forms = new java.util.LinkedHashSet<>(List.of(image, tagged));
        for (String form : List.copyOf(forms)) {
            String hub = form.startsWith("docker.io/") ? form.substring("docker.io/".length()) : form;
            forms.add(hub);
            if (hub.startsWith("library/")) {
                forms.add(hub.substring("library/".length()));
            }
        }
        return List.copyOf(forms);
    }

    private static boolean hasTagOrDigest(String image) {
        String last = image.substring(image.lastIndexOf('/') + 1);
        return last.contains(":") || last.contains("@");
    }

    /** Repository of a reference: without its tag and digest. */
    static String repository(String image) {
        int at = image.indexOf('@');
        String withoutDigest = at < 0 ? image : image.substring(0, at);
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append("[^/]*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** 403: the tenant may not run this image here; the patterns themselves are the operator's, not shown. */
    static final class NotAllowed extends ErrorResponseException {
        NotAllowed(String image, int patternCount) {
            super(HttpStatus.FORBIDDEN, problem(image, patternCount), null);
        }

        private static ProblemDetail problem(String image, int patternCount) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "node image " + image
                    + " matches none of the " + patternCount + " pattern(s) this service allows "
                    + "(dind.clusters.allowed-node-images); nothing was created.");
            problem.setTitle("Node image not allowed");
            problem.setProperty("errors", List.of(new InvalidField("nodeImage",
                    "must match one of the " + patternCount + " allowed node image pattern(s)")));
            return problem;
        }
    }
}
