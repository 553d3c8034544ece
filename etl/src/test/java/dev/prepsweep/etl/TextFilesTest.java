package dev.prepsweep.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.testkit.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plain text files, one record per file, labelled by folder; invalid UTF-8 and empty files are quarantined. */
class TextFilesTest {
  @Test
  void oneRecordPerFileLabelledByFolder() throws IOException {
    Path dir = SharedSpark.tempDir("text");
    Path root = dir.resolve("docs");
    for (String label : new String[] {"pos", "neg"}) {
      Files.createDirectories(root.resolve(label));
      for (int i = 0; i < 12; i++) {
        Files.writeString(root.resolve(label + "/" + i + ".txt"), label + " document number " + i + "\nsecond line <b>bold</b>\n");
      }
    }
    Files.write(root.resolve("pos/bad.txt"), new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});
    Files.writeString(root.resolve("neg/empty.txt"), "  \n\t ");
    String yaml = """
        prep:
          input: {format: text, path: %s, text_per: file, label_from_folder: true}
          columns: {}
          clean: {strip_html: true, lowercase: true}
          split: {train: 0.5, val: 0.25, test: 0.25}
        """.formatted(root);
    PrepResult r = PrepJob.run(SharedSpark.session(), PrepConfig.parse(ConfigNode.parse(yaml, "text.yaml").required("prep")),
        dir.resolve("wh").toString(), 2L);
    assertThat(r.rowsRead()).isEqualTo(26);
    assertThat(r.rowsClean()).isEqualTo(24);
    assertThat(r.labels()).containsExactly("neg", "pos");
    Map<String, String> rules = new HashMap<>();
    SharedSpark.session().read().format("delta").load(r.tables().get("quarantine").path()).collectAsList()
        .forEach(q -> rules.put(q.<String>getAs("id").replaceAll(".*/", ""), q.getAs("rule")));
    assertThat(rules).isEqualTo(Map.of("bad.txt", "input.invalid_utf8", "empty.txt", "text.empty"));
    String text = SharedSpark.session().read().format("delta").load(r.tables().get("clean").path())
        .where("id like '%pos/3.txt'").first().getAs("text");
    assertThat(text).isEqualTo("pos document number 3 second line bold");
  }
}
