package dev.prepsweep.training;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.Path;

/**
 * Token ids from a HuggingFace {@code tokenizer.json} (DJL's {@code ai.djl.huggingface:tokenizers}, whose native
 * library ships inside its jar: nothing is downloaded; DJL unpacks it into its cache as it does PyTorch's), for
 * TorchScript modules with {@code inputs: tokens} and a {@code tokenizer}. Each row becomes exactly
 * {@code max_length} ids: truncated, then padded with the tokenizer's padding id (its {@code padding} section, else
 * 0). The file is read through Hadoop's filesystem and each JVM keeps one tokenizer per file and length.
 */
final class HfTokens {
  private static final Map<String, HuggingFaceTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

  private HfTokens() {}

  /** The ids of {@code text} into {@code out[offset .. offset + maxLength)}. */
  static void ids(String uri, int maxLength, String text, long[] out, int offset) {
    long[] ids = tokenizer(uri, maxLength).encode(text == null ? "" : text).getIds();
    if (ids.length != maxLength) {
      throw new IllegalStateException("the tokenizer " + uri + " gave " + ids.length + " ids for a row, not max_length = "
          + maxLength);
    }
    System.arraycopy(ids, 0, out, offset, maxLength);
  }

  private static HuggingFaceTokenizer tokenizer(String uri, int maxLength) {
    return TOKENIZERS.computeIfAbsent(uri + "#" + maxLength, k -> {
      Path path = new Path(uri);
      try (InputStream in = path.getFileSystem(PinnedSnapshotReader.hadoopConf()).open(path)) {
        return HuggingFaceTokenizer.newInstance(in, Map.of("maxLength", String.valueOf(maxLength), "padding",
            "max_length", "truncation", "true", "addSpecialTokens", "true"));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("cannot read the tokenizer " + uri + " (train.tokenizer): " + e.getMessage()
            + "; give a HuggingFace tokenizer.json (tokenizer.save(...) or the file of a model repository)", e);
      }
    });
  }
}
