# Runs a built Conveyor (./mvnw package) against an external PostgreSQL:
#   docker build -t conveyor . && docker run -p 8080:8080 \
#     -e QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://db:5432/conveyor \
#     -e QUARKUS_DATASOURCE_USERNAME=conveyor -e QUARKUS_DATASOURCE_PASSWORD=... \
#     -e CONVEYOR_MASTER_KEY="$(cat /etc/conveyor/master.key)" -v conveyor-data:/var/lib/conveyor conveyor
# Create the master key once (head -c32 /dev/urandom | base64 > /etc/conveyor/master.key) and keep it:
# secrets stored with one key cannot be read with another.
FROM eclipse-temurin:17-jre

RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 openssh-client tar \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/conveyor --create-home conveyor

WORKDIR /opt/conveyor
COPY --chown=root:root target/quarkus-app/lib/ lib/
COPY --chown=root:root target/quarkus-app/*.jar ./
COPY --chown=root:root target/quarkus-app/app/ app/
COPY --chown=root:root target/quarkus-app/quarkus/ quarkus/
COPY --chown=10001:10001 environments/ environments/
COPY --chown=root:root examples/ examples/
COPY --chown=root:root bin/conveyor-server bin/

ENV CONVEYOR_DATA_DIR=/var/lib/conveyor \
    CONVEYOR_ENVIRONMENTS_DIR=/opt/conveyor/environments \
    CONVEYOR_JAR=/opt/conveyor/quarkus-run.jar \
    CONVEYOR_CDS_DIR=/var/lib/conveyor/cds \
    JAVA_OPTS_APPEND="-XX:MaxRAMPercentage=75"
VOLUME /var/lib/conveyor
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/q/health/ready', timeout=4)"]
# The start script adds a class archive (made by the first start, see docs/configuration.md "Start-up time").
ENTRYPOINT ["sh", "-c", "CONVEYOR_JAVA_OPTS=\"$JAVA_OPTS_APPEND\" exec /opt/conveyor/bin/conveyor-server"]
