# One image for every searchloop service; the service is chosen by the command
# (docker compose runs pair-builder, trainer, embedder and search-api from it).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/app/target/searchloop.jar /app/searchloop.jar
COPY --from=build /src/app/target/lib /app/lib
ENV JAVA_OPTS="-Xmx2g" DJL_OFFLINE=true SEARCHLOOP_CACHE_DIR=/var/lib/searchloop/cache
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Dai.djl.offline=$DJL_OFFLINE -cp '/app/searchloop.jar:/app/lib/*' io.searchloop.app.Main \"$@\"", "searchloop"]
CMD ["--help"]
