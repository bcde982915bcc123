package io.dindclusters.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a bundle must never carry, in the shapes it comes in: YAML, JSON, command lines and PEM. */
class RedactionTest {

    @Test
    void takesOutTokensKeysAndCredentialsAndLeavesTheRest() {
        String text = """
                bootstrapTokens:
                - token: "abcdef.0123456789abcdef"
                users:
                - user:
                    client-certificate-data: LS0tLS1CRUdJTi
                    client-key-data: LS0tLS1CRUdJTiBSU0E
                {"token":"s3cr3t","name":"ci-1234"}
                kubeadm join 10.0.0.2:6443 --token zyxwvu.9876543210zyxwvu --discovery-token-ca-cert-hash sha256:ab12
                kubeadm join --control-plane --certificate-key 0f1e2d3c4b5a
                -----BEGIN RSA PRIVATE KEY-----
                MIIEowIBAAKCAQEA
                -----END RSA PRIVATE KEY-----
                a log line mentioning qwerty.asdfghjklzxcvbnm in passing
                """;

        String redacted = Redaction.redact(text);

        assertThat(redacted).doesNotContain("0123456789abcdef", "LS0tLS1CRUdJTi", "s3cr3t", "9876543210zyxwvu",
                "0f1e2d3c4b5a", "MIIEowIBAAKCAQEA", "asdfghjklzxcvbnm");
        assertThat(redacted).contains("- token: REDACTED", "client-key-data: REDACTED", "\"token\":REDACTED",
                "--token REDACTED", "--certificate-key REDACTED", "-----BEGIN RSA PRIVATE KEY-----\nREDACTED",
                "\"name\":\"ci-1234\"", "--discovery-token-ca-cert-hash sha256:ab12", "kubeadm join 10.0.0.2:6443");
    }
}
