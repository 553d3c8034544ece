package dev.prepsweep.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes image definition ({@code deploy/kubernetes/Dockerfile}) is not built here (no Docker
 * daemon in CI), so this checks what can go stale without one, after {@code mvn package}: every file
 * it COPYs from the repository exists (one file per source), the root {@code .dockerignore} lets it
 * into the build context, the base image and the Delta jars are the versions the build uses, and the
 * README's {@code spark-submit --master k8s://} example names the jar the image installs.
 */
class KubernetesImageIT {

  private static final Path DOCKERFILE = TestData.REPO.resolve("deploy/kubernetes/Dockerfile");

  @Test
  void everyCopySourceExistsAfterPackageAndMatchesTheBuildsVersions() throws IOException {
    List<String> ignore = Files.readAllLines(TestData.REPO.resolve(".dockerignore"));
    List<List<String>> copies = copies();
    assertThat(copies).as("COPY instructions in %s", DOCKERFILE).hasSize(2);
    for (List<String> copy : copies) {
      for (String source : copy.subList(0, copy.size() - 1)) {
        assertThat(matches(source)).as("files of the repository matching COPY source %s (run mvn package first)", source)
            .hasSize(1);
        assertThat(ignore).as(".dockerignore lets %s into the build context", source)
            .anyMatch(rule -> rule.startsWith("!") && (source.equals(rule.substring(1))
                || rule.endsWith("/") && source.startsWith(rule.substring(1))));
      }
    }

    String pom = Files.readString(TestData.REPO.resolve("pom.xml"));
    String spark = property(pom, "spark.version");
    String delta = property(pom, "delta.version");
    String dockerfile = Files.readString(DOCKERFILE);
    assertThat(dockerfile).contains("ARG SPARK_IMAGE=apache/spark:" + spark + "-scala2.13-java17");
    assertThat(copies.get(0)).as("the Delta jars of the build's Delta version")
        .containsExactly("app/target/k8s-jars/delta-spark_2.13-" + delta + ".jar",
            "app/target/k8s-jars/delta-storage-" + delta + ".jar", "/opt/spark/jars/");

    String installed = copies.get(1).get(copies.get(1).size() - 1);
    assertThat(installed).isEqualTo("/opt/prepsweep/prepsweep-app-cluster.jar");
    String readme = Files.readString(TestData.REPO.resolve("README.md"));
    assertThat(readme).contains("spark-submit --master k8s://").contains("local://" + installed)
        .contains("docker build -f deploy/kubernetes/Dockerfile");
  }

  /** Each COPY instruction's words (sources, then the destination); options such as --chown are not used. */
  private static List<List<String>> copies() throws IOException {
    List<List<String>> copies = new ArrayList<>();
    for (String line : Files.readAllLines(DOCKERFILE)) {
      if (line.startsWith("COPY ")) {
        copies.add(Arrays.asList(line.substring(5).trim().split("\\s+")));
      }
    }
    return copies;
  }

  /** The repository's files matching {@code source} (a path relative to the root, perhaps with a * as COPY allows). */
  private static List<Path> matches(String source) throws IOException {
    Path dir = TestData.REPO.resolve(source).getParent();
    PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + TestData.REPO.resolve(source));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(glob::matches).filter(Files::isRegularFile).toList();
    }
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as("%s in the parent pom", name).isTrue();
    return m.group(1);
  }
}
