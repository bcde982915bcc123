package io.dindclusters.logs;

import java.util.regex.Pattern;

/**
 * Takes secrets out of text a bundle carries: kubeadm bootstrap tokens and certificate keys wherever they appear
 * (journals print join commands), the values of secret keys in YAML and JSON (kubeconfig credentials, tokens,
 * passwords) and private keys in PEM form.
 */
final class Redaction {

    static final String REDACTED = "REDACTED";

    /** A bootstrap token, [a-z0-9]{6}.[a-z0-9]{16}, as kubeadm makes them. */
    private static final Pattern BOOTSTRAP_TOKEN = Pattern.compile("\\b[a-z0-9]{6}\\.[a-z0-9]{16}\\b");
    /** A key whose value is a secret, in YAML (key: value) or JSON ("key": "value"). */
    private static final Pattern SECRET_VALUE = Pattern.compile("(?im)(\"?\\b(token|certificateKey|certificate-key|"
            + "client-key-data|client-certificate-data|password|secret|bootstrapToken)\"?\\s*:\\s*)(\"[^\"]*\"|[^\\s,}]+)");
    /** --token X, --certificate-key X, --discovery-token X (the CA hash beside them is public). */
    private static final Pattern SECRET_FLAG = Pattern.compile("(--(token|certificate-key|discovery-token)[= ])\\S+");
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\\s\\S]*?-----END \\1PRIVATE KEY-----");

    private Redaction() {
    }

    static String redact(String text) {
        String out = PRIVATE_KEY.matcher(text).replaceAll("-----BEGIN $1PRIVATE KEY-----\n" + REDACTED
                + "\n-----END $1PRIVATE KEY-----");
        out = SECRET_VALUE.matcher(out).replaceAll("$1" + REDACTED);
        out = SECRET_FLAG.matcher(out).replaceAll("$1" + REDACTED);
        return BOOTSTRAP_TOKEN.matcher(out).replaceAll(REDACTED);
    }
}
