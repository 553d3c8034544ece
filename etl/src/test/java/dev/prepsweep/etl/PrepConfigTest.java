package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrepConfigTest {
  static PrepConfig parse(String yaml) {
    return PrepConfig.parse(ConfigNode.parse(yaml, "t.yaml").required("prep"));
  }

  static final String MINIMAL = """
      prep:
        input: {format: json, path: data.jsonl}
        columns: {label: y, text: t}
      """;

  @Test
  void defaults() {
    PrepConfig c = parse(MINIMAL);
    assertThat(c.input()).isEqualTo(new PrepConfig.Input(PrepConfig.Format.JSON, "data.jsonl", null, Map.of(), PrepConfig.TextPer.LINE, false, null, List.of(), 0, 0));
    assertThat(c.columns()).isEqualTo(new PrepConfig.Columns(null, "y", List.of("t"), List.of(), null, null));
    assertThat(c.clean()).isEqualTo(new PrepConfig.Clean(PrepConfig.UnicodeForm.NFKC, false, true, false, false, 1, 0, Map.of(), null, null));
    assertThat(c.labels()).isEqualTo(new PrepConfig.Labels(List.of(), Map.of(), true));
    assertThat(c.dedupe()).isEqualTo(new PrepConfig.Dedupe(true, null, PrepConfig.ConflictPolicy.MAJORITY));
    assertThat(c.split()).isEqualTo(new PrepConfig.Split(0.8, 0.1, 0.1, true, 0, false, 0, 10));
    assertThat(c.augment().enabled()).isFalse();
    assertThat(c.balance().enabled()).isFalse();
    assertThat(c.balance().classWeights()).isTrue();
    assertThat(c.ids()).isEqualTo(new PrepConfig.Ids(PrepConfig.IdDuplicates.QUARANTINE));
  }

  @Test
  void regressionBinsTheLabelAndRefusesStepsThatNeedClasses() {
    PrepConfig c = PrepConfig.parse(ConfigNode.parse(MINIMAL + "  split: {bins: 4}\n", "t.yaml").required("prep"),
        "regression");
    assertThat(c.regression()).isTrue();
    assertThat(c.split().bins()).isEqualTo(4);
    assertThat(c.balance().classWeights()).as("no class_weights table for a number").isFalse();
    assertThat(parse(MINIMAL).regression()).isFalse();
    assertThatThrownBy(() -> parse(MINIMAL + "  split: {bins: 0}\n")).isInstanceOf(ConfigException.class)
        .hasMessage("t.yaml:4:17: key 'prep.split.bins' = 0: must be between 1 and 1000 quantile bins of the label"
            + " (regression strata)");
    for (String step : List.of("balance: {method: random}", "balance: {method: none, class_weights: true}",
        "labels: {allowed: [a, b]}", "augment: {text: {copies: 1, swap: 0.1, minority_only: true}}")) {
      assertThatThrownBy(() -> PrepConfig.parse(ConfigNode.parse(MINIMAL + "  " + step + "\n", "t.yaml").required("prep"),
          "regression")).as(step).isInstanceOf(ConfigException.class)
          .hasMessageContaining("applies to classes; task: regression predicts a number");
    }
    assertThatThrownBy(() -> PrepConfig.parse(ConfigNode.parse(MINIMAL + "  balance: {method: smote}\n", "t.yaml")
        .required("prep"), "regression"))
        .hasMessage("t.yaml:4:21: key 'prep.balance.method' = smote: balancing applies to classes; task: regression"
            + " predicts a number (its strata are quantile bins of the label, prep.split.bins); use method: none");
    assertThat(PrepConfig.parse(ConfigNode.parse(MINIMAL + "  balance: {method: none, class_weights: false}\n"
        + "  labels: {normalize: true}\n", "t.yaml").required("prep"), "regression").balance().enabled()).isFalse();
  }

  @Test
  void idsAndMinPerSplit() {
    PrepConfig c = parse(MINIMAL + "  ids: {duplicates: keep_first}\n  split: {min_per_split: 1}\n");
    assertThat(c.ids().duplicates()).isEqualTo(PrepConfig.IdDuplicates.KEEP_FIRST);
    assertThat(c.split().minPerSplit()).isEqualTo(1);
    assertThatThrownBy(() -> parse(MINIMAL + "  ids: {duplicates: drop}\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("duplicates").hasMessageContaining("keep_first");
    assertThatThrownBy(() -> parse(MINIMAL + "  split: {min_per_split: 1, stratify: false}\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("min_per_split").hasMessageContaining("needs a stratified row split");
  }

  @Test
  void theLeadsSpamConfigParses() {
    PrepConfig c = parse("""
        prep:
          input: {format: json, path: data/spamassassin/messages.jsonl}
          columns: {id: id, label: label, text: [subject, body]}
          clean: {strip_html: true, unicode: NFKC, lowercase: true, min_text_chars: 1}
          labels: {allowed: [ham, spam]}
          dedupe: {exact: true}
          split: {train: 0.8, val: 0.1, test: 0.1, stratify: true}
        """);
    assertThat(c.columns().text()).containsExactly("subject", "body");
    assertThat(c.labels().allowed()).containsExactly("ham", "spam");
    assertThat(c.hash()).hasSize(64).isEqualTo(parse("""
        prep:
          columns: {id: id, text: [subject, body], label: label}
          input: {path: data/spamassassin/messages.jsonl, format: json}
          labels: {allowed: [spam, ham]}
          split: {val: 0.1, train: 0.8, test: 0.1}
          clean: {lowercase: true, strip_html: true}
        """).hash());
  }

  @Test
  void fullConfig() {
    PrepConfig c = parse("""
        prep:
          input: {format: csv, path: x.csv, options: {delimiter: ";"}}
          columns: {id: id, label: y, text: t, features: [a, b], group: user}
          clean: {missing: {a: mean, b: {constant: 0}}, clip: {lower: 0.01, upper: 0.99}, max_text_chars: 500}
          labels: {allowed: [Spam, ham], map: {"Junk ": spam}}
          dedupe: {near: {threshold: 0.9, shingle: 4, hash_tables: 5}, conflicts: quarantine}
          split: {train: 0.7, val: 0.15, test: 0.15, folds: 5, by_group: true}
          augment: {text: {copies: 2, synonym: 0.1, swap: 0.1, minority_only: true}}
          balance: {method: smote, target: {spam: 100, ham: 100}, k: 3}
        """);
    assertThat(c.labels().allowed()).containsExactly("ham", "spam");
    assertThat(c.labels().map()).containsEntry("junk", "spam");
    assertThat(c.clean().missingFor("b")).isEqualTo(new PrepConfig.Missing(PrepConfig.MissingPolicy.CONSTANT, 0.0));
    assertThat(c.clean().missingFor("a").policy()).isEqualTo(PrepConfig.MissingPolicy.MEAN);
    assertThat(c.dedupe().near()).isEqualTo(new PrepConfig.Near(0.9, 4, 5));
    assertThat(c.balance().perLabel()).containsEntry("spam", 100L);
    assertThat(c.augment().text().copies()).isEqualTo(2);
  }

  @Test
  void unknownKeysFailWithPosition() {
    assertThatThrownBy(() -> parse("""
        prep:
          input: {format: json, path: d}
          columns: {label: y, text: t}
          split: {train: 0.8, vall: 0.2}
        """)).isInstanceOf(ConfigException.class)
        .hasMessage("t.yaml:4:23: unknown key 'prep.split.vall'; allowed here: [bins, by_group, folds, min_per_split, stratify, test, train, val]");
  }

  @Test
  void badValuesNameKeyValueAndRule() {
    assertThatThrownBy(() -> parse(MINIMAL + "  split: {train: 0.8, val: 0.3, test: 0.1}\n"))
        .hasMessageContaining("t.yaml:4:10").hasMessageContaining("split ratios must add up to 1")
        .hasMessageContaining("train=0.8 + val=0.3 + test=0.1");
    assertThatThrownBy(() -> parse(MINIMAL + "  clean: {unicode: NFX}\n"))
        .hasMessage("t.yaml:4:20: key 'prep.clean.unicode' = 'NFX' must be one of [NFC, NFKC, NFD, NFKD, none]");
    assertThatThrownBy(() -> parse(MINIMAL + "  dedupe: {near: {threshold: 1.5}}\n"))
        .hasMessage("t.yaml:4:30: key 'prep.dedupe.near.threshold' = 1.5: Jaccard threshold must be in (0, 1]");
    assertThatThrownBy(() -> parse(MINIMAL + "  balance: {method: smote}\n"))
        .hasMessageContaining("SMOTE interpolates numeric features and there are none");
    assertThatThrownBy(() -> parse(MINIMAL + "  labels: {allowed: [a, b], map: {x: c}}\n"))
        .hasMessageContaining("maps to 'c' which is not an allowed label [a, b]");
    assertThatThrownBy(() -> parse(MINIMAL + "  split: {by_group: true}\n")).hasMessageContaining("needs columns.group");
    assertThatThrownBy(() -> parse("""
        prep:
          input: {format: json, path: d}
          columns: {label: y, text: [t, y]}
        """)).hasMessageContaining("column 'y' is given two roles");
  }

  @Test
  void missingSectionsAreNamed() {
    assertThatThrownBy(() -> parse("prep:\n  columns: {label: y, text: t}\n"))
        .hasMessage("t.yaml:2:3: key 'prep.input' is required but missing");
  }

  @Test
  void guardDefaultsAndLimits() {
    assertThat(parse(MINIMAL).guard()).isEqualTo(new PrepConfig.Guard(1000, 0.2));
    assertThat(parse(MINIMAL + "  guard: {max_labels: 50}\n").guard()).isEqualTo(new PrepConfig.Guard(50, 0.2));
    assertThatThrownBy(() -> parse(MINIMAL + "  guard: {max_quarantine_share: 1.5}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml:4:33: key 'prep.guard.max_quarantine_share' = 1.5: must be between 0 and 1 (1: no limit)");
    assertThatThrownBy(() -> parse(MINIMAL + "  guard: {max_labels: 0}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'prep.guard.max_labels' = 0: must be >= 1");
    assertThatThrownBy(() -> parse(MINIMAL + "  guard: {labels: 3}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'prep.guard.labels'");
  }

  @Test
  void csvOptionsAreTheScannersAndAreChecked() {
    String csv = """
        prep:
          input: {format: csv, path: x.csv, options: %s}
          columns: {label: y, text: t}
        """;
    assertThat(parse(csv.formatted("{sep: ';', escape: '\\', header: false, multiLine: true}")).input().options())
        .containsEntry("sep", ";").containsEntry("escape", "\\");
    assertThatThrownBy(() -> parse(csv.formatted("{inferSchema: true}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'prep.input.options.inferSchema'");
    assertThatThrownBy(() -> parse(csv.formatted("{sep: '||'}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'prep.input.options.sep' = ||: the field delimiter, one ASCII character");
    assertThatThrownBy(() -> parse(csv.formatted("{multiLine: false}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'prep.input.options.multiLine' = false: true only");
    assertThatThrownBy(() -> parse(csv.formatted("{encoding: latin1}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("UTF-8 only");
  }
}
