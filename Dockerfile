# The service as a container image: the jar `./mvnw -DskipTests package` builds, on a Java 17+ runtime.
# BASE_IMAGE is any such image; sites without a registry build one from Debian's packages
# (scripts/ensure-jre-image makes localhost/dind-clusters/jre:17) and pass --build-arg BASE_IMAGE=localhost/dind-clusters/jre:17.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
WORKDIR /app
COPY target/dind-clusters-*.jar /tmp/dind-clusters.jar
# Spring Boot's extracted layout, and a class data sharing archive from a training run that stops once the context
# is refreshed (no engine, no database file is touched: an in-memory one, an address with no engine): the JVM then
# maps those classes instead of loading and verifying them at every start.
RUN java -Djarmode=tools -jar /tmp/dind-clusters.jar extract --destination /app/service \
 && rm /tmp/dind-clusters.jar \
 && java -XX:ArchiveClassesAtExit=/app/service/dind-clusters.jsa -Dspring.context.exit=onRefresh \
      -jar /app/service/dind-clusters.jar --spring.datasource.url=jdbc:h2:mem:training \
      --dind.docker.host=unix:///nonexistent/docker.sock --logging.level.root=WARN >/dev/null 2>&1 \
 && test -s /app/service/dind-clusters.jsa
# ./data (the H2 file database) lives on a volume; the Docker socket is mounted by whoever runs the container.
VOLUME /app/data
EXPOSE 8080
# The heap follows the container's memory limit, not the host's.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/service/dind-clusters.jsa", "-XX:MaxRAMPercentage=75", \
            "-jar", "/app/service/dind-clusters.jar"]
