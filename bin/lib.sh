# Shared by the bin/ scripts: where things are, the JVM flags, the build-on-first-use step.
APP_TARGET="$ROOT/app/target"
# The library modules whose jars sit beside the app's: every <module> of the root pom but app, the test kit and the examples (not part of the application).
PREPSWEEP_MODULES="$(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' "$ROOT/pom.xml" | grep -vx -e app -e test-kit -e "examples/.*" | tr '\n' ' ')"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Spark 4 on Java 17 (org.apache.spark.launcher.JavaModuleOptions), DJL offline with one intra-op
# thread per training task, quiet logs. -XX:-DontCompileHugeMethods: Spark's generated code for a
# wide projection (prep's validation) can exceed HotSpot's 8,000-byte limit and would then run
# interpreted, 4x slower (docs/prep-benchmark.md).
PREPSWEEP_JVM_FLAGS="-XX:+IgnoreUnrecognizedVMOptions -XX:-DontCompileHugeMethods --add-modules=jdk.incubator.vector \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
-Dio.netty.tryReflectionSetAccessible=true -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties"

# Builds the jars when they are missing or older than any source file (first run: Maven downloads
# the dependencies from Maven Central once; nothing is downloaded when prepsweep runs).
prepsweep_build_if_needed() {
  local jar="$APP_TARGET/prepsweep-app.jar"
  if [[ -f "$jar" && -f "$APP_TARGET/runtime-classpath.txt" ]] && \
     [[ -z "$(find "$ROOT"/*/src/main "$ROOT"/*/pom.xml "$ROOT/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    return
  fi
  echo "prepsweep: building the jars (mvn package, tests skipped)..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
}

# The thin app jar, the module jars and every dependency (Spark, Delta, DJL with its CPU natives).
prepsweep_classpath() {
  local cp="$APP_TARGET/prepsweep-app.jar"
  local m
  for m in $PREPSWEEP_MODULES; do
    cp="$cp:$(ls "$ROOT/$m/target/prepsweep-$m-"*.jar | grep -v -e sources -e tests | sed -n 1p)"
  done
  echo "$cp:$(cat "$APP_TARGET/runtime-classpath.txt")"
}
