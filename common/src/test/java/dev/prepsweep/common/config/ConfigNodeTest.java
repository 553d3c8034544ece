package dev.prepsweep.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigNodeTest {

  private static final String YAML = """
      seed: 42
      rate: 1.5e-3
      name: demo
      flags: {on: true}
      items: [a, b]
      """;

  @Test
  void typedGettersReadScalarsAndRememberPaths() {
    ConfigNode root = ConfigNode.parse(YAML, "job.yaml");
    assertThat(root.getLong("seed", 0)).isEqualTo(42);
    assertThat(root.getDouble("rate", 0)).isEqualTo(1.5e-3);
    assertThat(root.getString("name", null)).isEqualTo("demo");
    assertThat(root.required("flags").getBoolean("on", false)).isTrue();
    assertThat(root.required("items").asList()).extracting(ConfigNode::asString).containsExactly("a", "b");
    assertThat(root.required("flags").required("on").path()).isEqualTo("flags.on");
    assertThat(root.getInt("absent", 7)).as("defaults apply only to absent keys").isEqualTo(7);
    assertThat(root.required("seed").asValue()).isEqualTo(42L);
  }

  @Test
  void unknownKeysNameTheKeyItsPositionAndWhatIsAllowed() {
    ConfigNode root = ConfigNode.parse("seed: 1\nsede: 2\n", "job.yaml");
    assertThatThrownBy(() -> root.allowOnly(java.util.List.of("seed")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("job.yaml:2:1: unknown key 'sede'; allowed here: [seed]");
  }

  @Test
  void invalidYamlNamesItsPositionSaysWhatToFixAndKeepsTheParsersError() {
    assertThatThrownBy(() -> ConfigNode.parse("seed: 1\nsplit: {train: 0.8\n", "job.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("job.yaml:3:1: not valid YAML: ")
        .hasMessageContaining("fix the syntax at that line and column")
        .hasCauseInstanceOf(org.yaml.snakeyaml.error.MarkedYAMLException.class);
  }

  @Test
  void badValuesNameKeyValueAndRule() {
    ConfigNode root = ConfigNode.parse("seed: forty\nrate: [1]\n", "job.yaml");
    assertThatThrownBy(() -> root.getLong("seed", 0)).hasMessage("job.yaml:1:7: key 'seed' = 'forty' must be an integer");
    assertThatThrownBy(() -> root.getDouble("rate", 0)).hasMessage("job.yaml:2:7: key 'rate' must be a single value, not a list");
    assertThatThrownBy(() -> root.required("missing")).hasMessage("job.yaml:1:1: key 'missing' is required but missing");
    assertThat(root.required("seed").invalid("must be positive"))
        .hasMessage("job.yaml:1:7: key 'seed' = forty: must be positive");
  }

  @Test
  void invalidYamlAndEmptyDocuments() {
    assertThatThrownBy(() -> ConfigNode.parse("a: [1, 2\n", "bad.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("bad.yaml:");
    assertThat(ConfigNode.parse("", "empty.yaml").keys()).isEmpty();
  }
}
