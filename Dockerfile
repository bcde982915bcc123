# The service as a container image: the jar `./mvnw -DskipTests package` builds (for Java 17), on a Java 17+ runtime;
# Java 25+ starts it fastest (the JDK's AOT cache).
# BASE_IMAGE is any such image; sites without a registry build one from Debian's packages
# (scripts/ensure-jre-image makes localhost/dind-clusters/jre:17) and pass --build-arg BASE_IMAGE=localhost/dind-clusters/jre:17.
ARG BASE_IMAGE=eclipse-temurin:25-jre
FROM ${BASE_IMAGE}
WORKDIR /app
COPY target/dind-clusters-*.jar /tmp/dind-clusters.jar
COPY src/main/jvm/ /tmp/jvm/
# Spring Boot's extracted layout, and the JDK's AOT cache (Java 25+) or a class data sharing archive from a training
# run (src/main/jvm/train), with the JVM options that use it in /app/service/jvm.options.
RUN java -Djarmode=tools -jar /tmp/dind-clusters.jar extract --destination /app/service \
 && sh /tmp/jvm/train /app/service /app/service/jvm.options \
 && rm -r /tmp/dind-clusters.jar /tmp/jvm
# ./data (the H2 file database) lives on a volume; the Docker socket is mounted by whoever runs the container.
VOLUME /app/data
EXPOSE 8080
# src/main/jvm/jvm.options: the serial collector, a heap that starts small and follows the container's memory limit,
# the C1 compiler alone; JAVA_OPTS comes after them, so it can change any of them (-XX:TieredStopAtLevel=4 for C2).
# The shell only expands JAVA_OPTS and is replaced by the JVM (exec): SIGTERM reaches the service.
ENTRYPOINT ["sh", "-c", "exec java @/app/service/jvm.options $JAVA_OPTS -jar /app/service/dind-clusters.jar \"$@\"", \
            "java"]
