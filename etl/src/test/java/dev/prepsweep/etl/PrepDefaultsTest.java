package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.common.config.ConfigException;
import dev.prepsweep.common.config.ConfigNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One test per section of {@code prep:}: an absent section and an empty one ({@code clean: {}})
 * give the same record, and that record is the section's constant in {@link PrepDefaults}. Sub-
 * sections that switch a feature on ({@code dedupe.near}, {@code augment.text/image}) take their
 * other keys from their own constants.
 */
class PrepDefaultsTest {

  /** Text columns and features, so that every section may appear empty (clip, missing, SMOTE need features). */
  private static final String BASE = """
      prep:
        input: {format: csv, path: x.csv}
        columns: {label: y, text: t, features: [a, b]}
      """;

  private static PrepConfig parse(String yaml) {
    return PrepConfig.parse(ConfigNode.parse(yaml, "d.yaml").required("prep"));
  }

  private static PrepConfig absent() {
    return parse(BASE);
  }

  private static PrepConfig empty(String section) {
    return parse(BASE + "  " + section + ": {}\n");
  }

  @Test
  void clean() {
    assertThat(empty("clean").clean()).isEqualTo(absent().clean()).isEqualTo(PrepDefaults.CLEAN);
  }

  @Test
  void cleanWithoutTextColumnsHasTheSameDefaults() {
    // issue 18: 'clean:' without text columns gave min_text_chars 0 while no clean section gave 1
    String noText = """
        prep:
          input: {format: csv, path: x.csv}
          columns: {label: y, features: [a]}
        """;
    assertThat(parse(noText + "  clean: {}\n").clean()).isEqualTo(parse(noText).clean()).isEqualTo(PrepDefaults.CLEAN);
    assertThat(parse(noText + "  clean: {lowercase: true}\n").clean().minTextChars())
        .isEqualTo(PrepDefaults.CLEAN.minTextChars());
  }

  @Test
  void labels() {
    assertThat(empty("labels").labels()).isEqualTo(absent().labels()).isEqualTo(PrepDefaults.LABELS);
  }

  @Test
  void dedupe() {
    assertThat(empty("dedupe").dedupe()).isEqualTo(absent().dedupe()).isEqualTo(PrepDefaults.DEDUPE);
  }

  @Test
  void dedupeNear() {
    assertThat(parse(BASE + "  dedupe: {near: {}}\n").dedupe().near())
        .isEqualTo(parse(BASE + "  dedupe: {near: true}\n").dedupe().near()).isEqualTo(PrepDefaults.NEAR);
    assertThat(parse(BASE + "  dedupe: {near: false}\n").dedupe()).isEqualTo(PrepDefaults.DEDUPE);
  }

  @Test
  void split() {
    assertThat(empty("split").split()).isEqualTo(absent().split()).isEqualTo(PrepDefaults.SPLIT);
  }

  @Test
  void augment() {
    assertThat(empty("augment").augment()).isEqualTo(absent().augment()).isEqualTo(PrepDefaults.AUGMENT);
    assertThat(absent().augment().enabled()).isFalse();
  }

  @Test
  void augmentParts() {
    // a text part with no rate is refused (it would copy rows unchanged); one rate shows the other defaults
    PrepConfig.TextAugment d = PrepDefaults.TEXT_AUGMENT;
    assertThat(parse(BASE + "  augment: {text: {swap: 0.2}}\n").augment().text())
        .isEqualTo(new PrepConfig.TextAugment(d.copies(), d.synonym(), d.insert(), 0.2, d.delete(), d.minorityOnly()));
    String image = """
        prep:
          input: {format: parquet, path: x.parquet}
          columns: {label: y, image: img}
          augment: {image: {}}
        """;
    assertThat(parse(image).augment().image()).isEqualTo(PrepDefaults.IMAGE_AUGMENT);
  }

  @Test
  void balance() {
    assertThat(empty("balance").balance()).isEqualTo(absent().balance()).isEqualTo(PrepDefaults.BALANCE);
    assertThat(absent().balance().enabled()).isFalse();
  }

  @Test
  void balanceWithoutMethodDoesNotTurnBalancingOn() {
    // issue 18: 'balance: {class_weights: false}' turned random balancing on
    PrepConfig.Balance b = parse(BASE + "  balance: {class_weights: false}\n").balance();
    assertThat(b.enabled()).isFalse();
    assertThat(b).isEqualTo(new PrepConfig.Balance(PrepDefaults.BALANCE.method(), PrepDefaults.BALANCE.target(),
        Map.of(), PrepDefaults.BALANCE.k(), false));
    assertThatThrownBy(() -> parse(BASE + "  balance: {target: min}\n")).isInstanceOf(ConfigException.class)
        .hasMessage("d.yaml:4:21: key 'prep.balance.target' = min: applies only when balance.method is random or smote"
            + " (method is none, the default); set method or remove target");
    assertThat(parse(BASE + "  balance: {method: random}\n").balance())
        .isEqualTo(new PrepConfig.Balance(PrepConfig.BalanceMethod.RANDOM, PrepDefaults.BALANCE.target(), Map.of(),
            PrepDefaults.BALANCE.k(), PrepDefaults.BALANCE.classWeights()));
  }

  @Test
  void guard() {
    assertThat(empty("guard").guard()).isEqualTo(absent().guard()).isEqualTo(PrepDefaults.GUARD);
  }

  @Test
  void ids() {
    assertThat(empty("ids").ids()).isEqualTo(absent().ids()).isEqualTo(PrepDefaults.IDS);
  }

  @Test
  void inputAndColumnsTakeTheirOptionalKeysFromTheTable() {
    // input and columns are required sections: their optional keys come from PrepDefaults too
    PrepConfig c = absent();
    assertThat(c.input()).isEqualTo(new PrepConfig.Input(PrepConfig.Format.CSV, "x.csv", null, Map.of(),
        PrepDefaults.TEXT_PER, PrepDefaults.LABEL_FROM_FOLDER, null, List.of(), 0, 0));
    PrepConfig images = parse("""
        prep:
          input: {format: image, path: imgs, label_from_folder: true}
          columns: {}
        """);
    assertThat(images.columns().label()).isEqualTo(PrepDefaults.DERIVED_LABEL_COLUMN);
    assertThat(images.columns().image()).isEqualTo(PrepDefaults.IMAGE_COLUMN);
  }

  @Test
  void missingPolicyOfAnUnlistedColumnIsTheTables() {
    assertThat(absent().clean().missingFor("a")).isEqualTo(PrepDefaults.MISSING);
  }

  @Test
  void recordsRejectWhatTheParserRejects() {
    // the records hold their invariants for code that builds them without a file
    assertThatThrownBy(() -> new PrepConfig.Split(0.8, 0.3, 0.1, true, 0, false, 0, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add up to 1");
    assertThatThrownBy(() -> new PrepConfig.Near(1.5, 5, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dedupe.near.threshold");
    assertThatThrownBy(() -> new PrepConfig.Balance(PrepConfig.BalanceMethod.RANDOM, "most", Map.of(), 5, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("balance.target");
    assertThatThrownBy(() -> new PrepConfig.Guard(0, 0.2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("guard.max_labels");
  }

  @Test
  void enumsPrintAsTheConfigSpellsThem() {
    // the record text is hashed into prep_runs.config_hash; the modes read as in the YAML file
    PrepConfig c = parse(BASE + "  ids: {duplicates: keep_first}\n  clean: {unicode: none}\n");
    assertThat(c.input().toString()).contains("format=csv").contains("textPer=line");
    assertThat(c.ids().toString()).isEqualTo("Ids[duplicates=keep_first]");
    assertThat(c.clean().toString()).contains("unicode=none");
    assertThat(c.balance().toString()).contains("method=none");
  }
}
