package io.dindclusters.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

/** The one place Docker clients are made: one per configured host. */
final class DockerClients {

    private DockerClients() {
    }

    /**
     * @param url      engine address; null: DOCKER_HOST and the other DOCKER_* variables, else the local socket
     * @param certPath folder with ca.pem, cert.pem and key.pem: TLS with a client certificate; null with a url: none
     */
    static DockerClient connect(String url, String certPath, DockerProperties properties) {
        var builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (url != null) {
            // A configured host says everything itself: no DOCKER_TLS_VERIFY or DOCKER_CERT_PATH from the process.
            builder.withDockerHost(url).withDockerTlsVerify(certPath != null);
            if (certPath != null) {
                builder.withDockerCertPath(certPath);
            }
        }
        var config = builder.build();
        var http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(properties.connectTimeout())
                .responseTimeout(properties.responseTimeout())
                .maxConnections(64)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
