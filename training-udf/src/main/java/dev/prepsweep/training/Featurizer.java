package dev.prepsweep.training;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns split rows into model inputs for one model family. Fitted on the train split (only
 * {@code mlp} learns something: per-feature mean and standard deviation) and saved with the model,
 * so scoring encodes rows exactly as training did.
 * <ul>
 *   <li>{@code mlp_text}: {@link HashingVectorizer} bag of words, {@code hash_dim} floats;
 *   <li>{@code text_cnn}: token ids, {@code max_tokens} longs: each token (lower-cased letter/digit run,
 *       as the vectorizer) hashed to {@code 1 .. vocab_size-1}, 0 pads (no vocabulary to ship);
 *   <li>{@code mlp}: the {@code features} array, standardised, NaN replaced by the train mean;
 *   <li>{@code cnn}: the {@code image} bytes as one grayscale {@code image_size x image_size} plane scaled to
 *       [-1, 1]: raw 8-bit pixels when the byte count is {@code image_size^2}, else decoded (PNG as the prep
 *       job writes, JPEG...) and resized; a row without image bytes (synthesised by balancing) uses its
 *       {@code features} when they are {@code image_size^2} pixels in [0, 1].
 * </ul>
 */
public final class Featurizer implements Serializable {

  private final String model;
  private final int hashDim;
  private final int vocabSize;
  private final int maxTokens;
  private final int imageSize;
  private final double[] mean;
  private final double[] std;
  /** {@code hf_tokens} only: the tokenizer.json that makes the ids ({@link HfTokens}). */
  private String tokenizer;

  private Featurizer(String model, int hashDim, int vocabSize, int maxTokens, int imageSize, double[] mean, double[] std) {
    this.model = model;
    this.hashDim = hashDim;
    this.vocabSize = vocabSize;
    this.maxTokens = maxTokens;
    this.imageSize = imageSize;
    this.mean = mean;
    this.std = std;
  }

  /** Fits the featurizer of {@code p.model()} on the train rows. */
  static Featurizer fit(TrainingParams p, SplitRows train) {
    if (p.torchscript() != null) {
      return torchscript(p, train);
    }
    double[] mean = null;
    double[] std = null;
    switch (p.model()) {
      case "mlp" -> {
        if (train.features() == null) {
          throw new IllegalStateException("model 'mlp' trains on the numeric 'features' column, which the train table"
              + " lacks; declare columns.features in the prep config or choose a text model (mlp_text, text_cnn)");
        }
        int d = train.features().length == 0 ? 0 : train.features()[0].length;
        if (d == 0) {
          throw new IllegalStateException("model 'mlp': the train table's 'features' arrays are empty");
        }
        mean = new double[d];
        std = new double[d];
        long[] count = new long[d];
        for (double[] row : train.features()) {
          checkWidth(row, d);
          for (int j = 0; j < d; j++) {
            if (!Double.isNaN(row[j])) {
              mean[j] += row[j];
              count[j]++;
            }
          }
        }
        for (int j = 0; j < d; j++) {
          mean[j] = count[j] == 0 ? 0 : mean[j] / count[j];
        }
        for (double[] row : train.features()) {
          for (int j = 0; j < d; j++) {
            if (!Double.isNaN(row[j])) {
              std[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
            }
          }
        }
        for (int j = 0; j < d; j++) {
          double s = count[j] < 2 ? 0 : Math.sqrt(std[j] / (count[j] - 1));
          std[j] = p.standardize() && s > 1e-12 ? s : 1.0;
          if (!p.standardize()) {
            mean[j] = 0;
          }
        }
      }
      case "cnn" -> {
        if (train.images() == null) {
          throw new IllegalStateException("model 'cnn' trains on the 'image' column, which the train table lacks;"
              + " prepare images with input format image or idx");
        }
      }
      default -> { }
    }
    return new Featurizer(p.model(), p.hashDim(), p.vocabSize(), p.maxTokens(), p.imageSize(), mean, std);
  }

  /**
   * A user's TorchScript module reads token ids encoded as {@code text_cnn}'s ({@code max_length} of them) or
   * the {@code features} arrays as they are (NaN as 0): the module owns its own scaling, so the exported
   * module gives the same predictions on the same raw features in Python.
   */
  private static Featurizer torchscript(TrainingParams p, SplitRows train) {
    if (p.torchscript().tokenizer() != null) {
      Featurizer f = new Featurizer("hf_tokens", p.hashDim(), p.vocabSize(), p.torchscript().maxLength(), p.imageSize(),
          null, null);
      f.tokenizer = p.torchscript().tokenizer();
      return f;
    }
    if (p.torchscript().tokenInputs()) {
      return new Featurizer("text_cnn", p.hashDim(), p.vocabSize(), p.torchscript().maxLength(), p.imageSize(), null, null);
    }
    if (train.features() == null || train.features().length == 0 || train.features()[0].length == 0) {
      throw new IllegalStateException("model 'torchscript' with inputs 'features' reads the numeric 'features' column,"
          + " which the train table lacks or leaves empty; declare columns.features in the prep config or use inputs: tokens");
    }
    int d = train.features()[0].length;
    double[] ones = new double[d];
    java.util.Arrays.fill(ones, 1.0);
    return new Featurizer("mlp", p.hashDim(), p.vocabSize(), p.maxTokens(), p.imageSize(), new double[d], ones);
  }

  /** The shape of one encoded row. */
  long[] rowShape() {
    return switch (model) {
      case "mlp_text" -> new long[] {hashDim};
      case "text_cnn", "hf_tokens" -> new long[] {maxTokens};
      case "mlp" -> new long[] {mean.length};
      default -> new long[] {1, imageSize, imageSize};
    };
  }

  int rowSize() {
    long size = 1;
    for (long d : rowShape()) {
      size *= d;
    }
    return Math.toIntExact(size);
  }

  /** Whether rows encode to token ids (int64) rather than floats. */
  boolean tokenIds() {
    return model.equals("text_cnn") || model.equals("hf_tokens");
  }

  /** Encodes all rows. */
  Encoded encode(SplitRows rows) {
    int n = rows.size();
    int size = rowSize();
    if (tokenIds()) {
      long[] ids = new long[Math.multiplyExact(n, size)];
      for (int i = 0; i < n; i++) {
        if (tokenizer != null) {
          HfTokens.ids(tokenizer, maxTokens, rows.texts()[i], ids, i * size);
        } else {
          tokens(rows.texts()[i], ids, i * size);
        }
      }
      return new Encoded(null, ids, rows.labels(), rowShape());
    }
    float[] x = new float[Math.multiplyExact(n, size)];
    for (int i = 0; i < n; i++) {
      encodeRow(rows.texts()[i], rows.features() == null ? null : rows.features()[i],
          rows.images() == null ? null : rows.images()[i], x, i * size);
    }
    return new Encoded(x, null, rows.labels(), rowShape());
  }

  /** Encodes one float row (every family but {@code text_cnn}) into {@code out[offset ..]}. */
  void encodeRow(String text, double[] features, byte[] image, float[] out, int offset) {
    switch (model) {
      case "mlp_text" -> new HashingVectorizer(hashDim).transform(text == null ? "" : text, out, offset);
      case "mlp" -> {
        if (features == null) {
          throw new IllegalStateException("model 'mlp' needs the 'features' column; a row has none");
        }
        checkWidth(features, mean.length);
        for (int j = 0; j < mean.length; j++) {
          double v = Double.isNaN(features[j]) ? 0 : (features[j] - mean[j]) / std[j];
          out[offset + j] = (float) v;
        }
      }
      case "cnn" -> pixels(image, features, out, offset);
      default -> throw new IllegalStateException("model '" + model + "' encodes token ids, not floats");
    }
  }

  /** Token ids of {@code text} into {@code out[offset .. offset + max_tokens)}, zero-padded. */
  void tokens(String text, long[] out, int offset) {
    java.util.Arrays.fill(out, offset, offset + maxTokens, 0L);
    if (text == null) {
      return;
    }
    int count = 0;
    int n = text.length();
    int start = -1;
    for (int i = 0; i <= n && count < maxTokens; i++) {
      boolean wordChar = i < n && Character.isLetterOrDigit(text.charAt(i));
      if (wordChar && start < 0) {
        start = i;
      } else if (!wordChar && start >= 0) {
        byte[] token = text.substring(start, i).toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out[offset + count++] = 1 + Math.floorMod(HashingVectorizer.murmur3(token), vocabSize - 1);
        start = -1;
      }
    }
  }

  private void pixels(byte[] image, double[] features, float[] out, int offset) {
    int s = imageSize;
    if (image == null || image.length == 0) {
      // rows synthesised by the prep job's balancing (SMOTE) carry pixels in [0, 1] as features, no image
      if (features != null && features.length == s * s) {
        for (int i = 0; i < s * s; i++) {
          out[offset + i] = (float) (Double.isNaN(features[i]) ? 0 : features[i] * 2 - 1);
        }
        return;
      }
      throw new IllegalStateException("model 'cnn' needs image bytes (or image_size^2 = " + s * s
          + " pixel features); a row has neither");
    }
    if (image.length == s * s) {
      for (int i = 0; i < s * s; i++) {
        out[offset + i] = (image[i] & 0xff) / 127.5f - 1f;
      }
      return;
    }
    BufferedImage decoded;
    try {
      decoded = ImageIO.read(new ByteArrayInputStream(image));
    } catch (IOException e) {
      throw new IllegalStateException("cannot decode an image of " + image.length + " bytes: " + e.getMessage(), e);
    }
    if (decoded == null) {
      throw new IllegalStateException("an image of " + image.length + " bytes is neither " + s + "x" + s
          + " raw pixels (image_size = " + s + ") nor a format ImageIO decodes (PNG, JPEG, BMP, GIF)");
    }
    BufferedImage gray = new BufferedImage(s, s, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = gray.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(decoded, 0, 0, s, s, null);
    g.dispose();
    byte[] raw = new byte[s * s];
    gray.getRaster().getDataElements(0, 0, s, s, raw);
    for (int i = 0; i < s * s; i++) {
      out[offset + i] = (raw[i] & 0xff) / 127.5f - 1f;
    }
  }

  private static void checkWidth(double[] row, int d) {
    if (row.length != d) {
      throw new IllegalStateException("model 'mlp': a 'features' array has " + row.length + " values, expected " + d
          + " (as the first train row)");
    }
  }

  /** What to save with the model. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("hash_dim", hashDim);
    m.put("vocab_size", vocabSize);
    m.put("max_tokens", maxTokens);
    m.put("image_size", imageSize);
    m.put("mean", mean == null ? null : toList(mean));
    m.put("std", std == null ? null : toList(std));
    if (tokenizer != null) {
      m.put("tokenizer", tokenizer);
    }
    return m;
  }

  static Featurizer fromMap(Map<String, Object> m) {
    Featurizer f = new Featurizer((String) m.get("model"), ((Number) m.get("hash_dim")).intValue(),
        ((Number) m.get("vocab_size")).intValue(), ((Number) m.get("max_tokens")).intValue(),
        ((Number) m.get("image_size")).intValue(), toArray(m.get("mean")), toArray(m.get("std")));
    f.tokenizer = (String) m.get("tokenizer");
    return f;
  }

  private static List<Double> toList(double[] a) {
    List<Double> l = new ArrayList<>(a.length);
    for (double v : a) {
      l.add(v);
    }
    return l;
  }

  @SuppressWarnings("unchecked")
  private static double[] toArray(Object o) {
    if (o == null) {
      return null;
    }
    List<Number> l = (List<Number>) o;
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i).doubleValue();
    }
    return a;
  }

  /** Encoded rows: floats or token ids (one of them null), labels and the shape of one row. */
  record Encoded(float[] floats, long[] ids, int[] labels, long[] rowShape) {
    int size() {
      return labels.length;
    }
  }
}
