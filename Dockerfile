# syntax=docker/dockerfile:1
# Rotor's image: built with the Maven wrapper on JDK 25, run on a distroless JDK 25 as a non-root user,
# started from a Java AOT cache trained at build time (cold starts on Cloud Run roughly halve).

# Sized for a container: heap from the instance's memory limit, a collector for 1 vCPU, no half-dead JVM.
# The same options in training and at run time, so the AOT cache matches.
ARG JVM_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED"

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
# Dependencies first: this layer is reused until pom.xml changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests \
 && cp "$(ls target/rotor-*.jar | grep -v original)" /rotor.jar

# Train the AOT cache in the runtime image itself: same JDK, same jar path as at run time.
FROM gcr.io/distroless/java25-debian13:nonroot AS train
ARG JVM_OPTIONS
ENV JAVA_TOOL_OPTIONS=${JVM_OPTIONS}
COPY --from=build /rotor.jar /app/rotor.jar
WORKDIR /app
# root only here, to write the cache next to the jar; the final image runs as nonroot
USER 0
RUN ["/usr/bin/java", "-XX:AOTCacheOutput=/app/rotor.aot", "-cp", "/app/rotor.jar", "dev.rotor.AotTraining"]

FROM gcr.io/distroless/java25-debian13:nonroot
ARG JVM_OPTIONS
ENV JAVA_TOOL_OPTIONS=${JVM_OPTIONS}
COPY --from=build /rotor.jar /app/rotor.jar
COPY --from=train /app/rotor.aot /app/rotor.aot
WORKDIR /app
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-XX:AOTCache=/app/rotor.aot", "-jar", "/app/rotor.jar"]
