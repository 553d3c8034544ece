package dev.prepsweep.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every job file the repository ships and every {@code yaml} block of its Markdown parses: a key
 * renamed or a default tightened without updating the docs fails here, not in a reader's terminal.
 * The prep key reference in {@code etl/README.md} lists keys of every input format side by side (it
 * cannot be one valid file); {@code PrepConfigTest} covers its keys.
 */
class ConfigExamplesTest {

  /** Surefire runs in the app module's folder; the repository root holds every module. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern YAML_BLOCK = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL);
  /** A README's stand-in for the prep keys an example leaves out. */
  private static final String ELIDED_PREP = "  # ...\n";
  private static final String MINIMAL_PREP = "  input: {format: json, path: x.jsonl}\n  columns: {label: label, text: text}\n";

  @Test
  void everyShippedYamlFileParses() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(ROOT, 4)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !ROOT.relativize(p).toString().matches("(.*/)?(target|node_modules|\\.git)/.*"))
          .sorted().toList();
    }
    assertThat(files).as("conf/prepsweep.yaml at least").contains(ROOT.resolve("conf/prepsweep.yaml"));
    for (Path f : files) {
      JobConfig.load(f);
    }
  }

  @Test
  void everyYamlBlockOfTheDocsParses() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> walk = Files.walk(ROOT, 4)) {
      walk.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !ROOT.relativize(p).toString().matches("(.*/)?(target|node_modules|\\.git)/.*"))
          .filter(p -> !p.equals(ROOT.resolve("README.md")) && !p.equals(ROOT.resolve("etl/README.md")))
          .sorted().forEach(docs::add);
    }
    int blocks = 0;
    for (Path doc : docs) {
      String text = Files.readString(doc);
      Matcher m = YAML_BLOCK.matcher(text);
      while (m.find()) {
        int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 2;
        String yaml = m.group(1).replace(ELIDED_PREP, MINIMAL_PREP);
        JobConfig.parse(yaml, ROOT.relativize(doc) + " (block at line " + line + ")");
        blocks++;
      }
    }
    assertThat(blocks).as("yaml blocks found in " + docs.size() + " Markdown files").isGreaterThanOrEqualTo(4);
  }
}
