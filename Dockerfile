# syntax=docker/dockerfile:1
# Rotor's image: the jar that `./mvnw verify` built and tested (copied to target/image/rotor.jar), run on a
# distroless JDK 25 as a non-root user with no shell, started from a Java AOT cache trained at build time.
# The jar is never rebuilt here, so the image holds exactly the bytes the tests ran against.
#
# RUNTIME_IMAGE is a build argument only so that CI can build this same file against a local stand-in
# (.ci/image-check); Cloud Build always uses the default.
ARG RUNTIME_IMAGE=gcr.io/distroless/java25-debian13:nonroot

# Sized for a container: heap from the instance's memory limit, a collector for 1 vCPU, no half-dead JVM,
# and only the C1 compiler: Rotor is I/O-bound and short-lived per instance, so C2's later peak speed does
# not pay for the CPU it takes while the instance starts (cloud.google.com/run/docs/tips/java, "reduce
# tiered compilation"; measured in docs/performance.md). The same options in training and at run time, so
# the AOT cache matches.
ARG JVM_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED"

# Train the AOT cache in the runtime image itself: same JDK, same jar path as at run time (the JVM ignores
# a cache whose classpath differs). The training runs Rotor in cloud mode against the standalone emulator,
# which it starts as a second JVM on loopback, so the cache holds what production loads and not the
# emulator (dev.rotor.AotTraining). Exec form only: the runtime image has no shell.
FROM ${RUNTIME_IMAGE} AS train
ARG JVM_OPTIONS
ENV JAVA_TOOL_OPTIONS=${JVM_OPTIONS}
COPY target/image/rotor.jar /app/rotor.jar
WORKDIR /app
# root only here, to write the cache next to the jar; the final image runs as nonroot
USER 0
RUN ["/usr/bin/java", "-XX:AOTCacheOutput=/app/rotor.aot", "-cp", "/app/rotor.jar", "dev.rotor.AotTraining"]

FROM ${RUNTIME_IMAGE}
ARG JVM_OPTIONS
ENV JAVA_TOOL_OPTIONS=${JVM_OPTIONS}
COPY --from=train /app/rotor.jar /app/rotor.jar
COPY --from=train /app/rotor.aot /app/rotor.aot
WORKDIR /app
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-XX:AOTCache=/app/rotor.aot", "-jar", "/app/rotor.jar"]
