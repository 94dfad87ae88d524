# syntax=docker/dockerfile:1
# One image for every searchloop service; the service is chosen by the command
# (docker compose runs topics, pair-builder, trainer, embedder and search-api from it).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Maven's repository is a BuildKit cache mount: a code change rebuilds without downloading the world.
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl app -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/searchloop --create-home searchloop \
    && mkdir -p /var/lib/searchloop/models /var/lib/searchloop/cache /var/lib/searchloop/streams \
    && chown -R searchloop:searchloop /var/lib/searchloop
WORKDIR /app
COPY --from=build /src/app/target/searchloop.jar /app/searchloop.jar
COPY --from=build /src/app/target/lib /app/lib
# The heap follows the container's memory limit unless JAVA_OPTS says otherwise; DJL unpacks
# libtorch into its cache, which lives on the cache volume with the converted base model.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75" DJL_OFFLINE=true \
    SEARCHLOOP_CACHE_DIR=/var/lib/searchloop/cache DJL_CACHE_DIR=/var/lib/searchloop/cache/djl \
    ENGINE_CACHE_DIR=/var/lib/searchloop/cache/djl
USER searchloop
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Dai.djl.offline=$DJL_OFFLINE -cp '/app/searchloop.jar:/app/lib/*' io.searchloop.app.Main \"$@\"", "searchloop"]
CMD ["--help"]
