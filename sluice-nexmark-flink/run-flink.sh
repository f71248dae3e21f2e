#!/usr/bin/env bash
# Runs one Nexmark query on Apache Flink 2.3 (local MiniCluster, this JVM) and prints its NEXMARK line.
#   sluice-nexmark-flink/run-flink.sh --query q5 --events 2000000 [--parallelism 1] [--state-backend heap|rocksdb]
#                                     [--checkpoint-interval 10s] [--output FILE] [--seed S] [--events-per-second R]
# Build first (from the repository root):
#   mvn -q -Pflink -pl sluice-nexmark-flink -am install -DskipTests
# Environment: JAVA_HOME (default: the JDK 25 under /usr/lib/jvm), FLINK_NEXMARK_JAVA_OPTS (default: -Xmx2g, the
# heap Sluice's benchmarks use). The other JVM flags are what Flink needs on JDK 17+ (its own env.java.opts
# defaults) plus JDK 24+'s switches for sun.misc.Unsafe and native access (RocksDB), so the JDK prints no warnings.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -z "${JAVA_HOME:-}" ]]; then
    for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
        if [[ -x "$j/bin/java" ]]; then JAVA_HOME="$j"; break; fi
    done
fi
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"
jar="$here/target/sluice-nexmark-flink-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$jar" || ! -f "$here/target/classpath.txt" ]]; then
    echo "run-flink.sh: not built; run: mvn -q -Pflink -pl sluice-nexmark-flink -am install -DskipTests" >&2
    exit 1
fi
flink_flags=(
    --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens=java.base/java.text=ALL-UNNAMED
    --add-opens=java.base/java.time=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
    --sun-misc-unsafe-memory-access=allow
    --enable-native-access=ALL-UNNAMED
)
# shellcheck disable=SC2086
exec "$java" ${FLINK_NEXMARK_JAVA_OPTS:--Xmx2g} "${flink_flags[@]}" \
    -cp "$jar:$(cat "$here/target/classpath.txt")" io.sluice.nexmark.flink.FlinkNexmark "$@"
