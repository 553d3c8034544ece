package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The CNN family on a subset of Fashion-MNIST (Debian package {@code dataset-fashion-mnist}, MIT):
 * raw 28x28 IDX pixels as the {@code image} bytes, as the prep job's idx input writes them. The
 * package is a test dependency ({@code bin/install-deps.sh test}, which the build runs): without it
 * this test fails and says how to install it.
 */
class FashionMnistCnnTest {

  static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  @Test
  void aSmallCnnLearnsFashionMnistFromAFewThousandImages() {
    SplitRows train = read("train", 2000);
    SplitRows val = read("t10k", 1000);
    TrainingParams p = TrainingParams.from(Map.of("model", "cnn", "lr", 3e-3, "epochs", 2L, "batch_size", 64L,
        "conv_channels", 8L, "conv_blocks", 2L, "hidden", 32L));
    Featurizer f = Featurizer.fit(p, train);
    List<EpochMetrics> epochs = new ModelTrainer(p, 10, Device.cpu())
        .train(f.encode(train), f.encode(val), 7, "val_accuracy", true, null, null, null, m -> { }).history();
    // 10 balanced classes (chance 0.1); logistic regression on all 60k images reaches ~0.84 and on 2k
    // images ~0.75 (Fashion-MNIST benchmark); a CNN after 2 short epochs must be clearly past 0.65
    assertThat(epochs.get(1).valAccuracy()).isGreaterThan(0.65);
    assertThat(epochs.get(1).valMacroF1()).isGreaterThan(0.6);
  }

  /** The first {@code n} images (raw 784-byte rows) and labels of an IDX pair {@code <prefix>-images/labels}. */
  static SplitRows read(String prefix, int n) {
    Path images = DIR.resolve(prefix + "-images-idx3-ubyte.gz");
    Path labels = DIR.resolve(prefix + "-labels-idx1-ubyte.gz");
    if (!Files.exists(images)) {
      throw new IllegalStateException(images + " is missing: install the test packages as root with"
          + " `bin/install-deps.sh test` (`mvn -B verify` runs it itself when it runs as root), or"
          + " `apt-get update && apt-get install -y dataset-fashion-mnist`");
    }
    try (DataInputStream img = new DataInputStream(new GZIPInputStream(Files.newInputStream(images)));
        DataInputStream lab = new DataInputStream(new GZIPInputStream(Files.newInputStream(labels)))) {
      if (img.readInt() != 0x803 || lab.readInt() != 0x801) {
        throw new IllegalStateException("not IDX files: " + images + ", " + labels);
      }
      int count = Math.min(n, img.readInt());
      lab.readInt();
      int rows = img.readInt();
      int cols = img.readInt();
      byte[][] pixels = new byte[count][rows * cols];
      int[] y = new int[count];
      String[] texts = new String[count];
      for (int i = 0; i < count; i++) {
        img.readFully(pixels[i]);
        y[i] = lab.readUnsignedByte();
        texts[i] = "";
      }
      return new SplitRows(texts, y, null, pixels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
