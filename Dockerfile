# The service as a container image: the jar `./mvnw -DskipTests package` builds, on a Java 17+ runtime.
# BASE_IMAGE is any such image; sites without a registry build one from Debian's packages
# (scripts/ensure-jre-image makes localhost/dind-clusters/jre:17) and pass --build-arg BASE_IMAGE=localhost/dind-clusters/jre:17.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
WORKDIR /app
COPY target/dind-clusters-*.jar /app/dind-clusters.jar
# ./data (the H2 file database) lives on a volume; the Docker socket is mounted by whoever runs the container.
VOLUME /app/data
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/dind-clusters.jar"]
