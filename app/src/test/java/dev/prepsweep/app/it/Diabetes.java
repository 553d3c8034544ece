package dev.prepsweep.app.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The diabetes regression data (Efron et al., 2004; BSD) as Debian's python3-sklearn ships it: 442 rows of 10
 * raw features and a disease progression score one year later. A test package ({@code bin/install-deps.sh test}).
 */
final class Diabetes {

  static final Path DIR = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data");

  private Diabetes() {}

  /**
   * A CSV ({@code id, progression, age, sex, bmi, bp, s1..s6}) of the 442 rows, plus {@code extra} rows given as
   * {@code id,label} with the first row's features.
   *
   * @throws IllegalStateException naming the package and the command that installs it when the data is missing
   */
  static Path csv(Path dir, List<String> extra) {
    Path x = DIR.resolve("diabetes_data_raw.csv.gz");
    Path y = DIR.resolve("diabetes_target.csv.gz");
    if (!Files.isReadable(x) || !Files.isReadable(y)) {
      throw new IllegalStateException("the diabetes data of Debian's python3-sklearn is missing (" + x + ", " + y
          + "); install the test packages as root with `bin/install-deps.sh test` (or: apt-get install python3-sklearn)");
    }
    try {
      List<String> features = lines(x);
      List<String> targets = lines(y);
      List<String> out = new ArrayList<>(List.of("id,progression,age,sex,bmi,bp,s1,s2,s3,s4,s5,s6"));
      for (int i = 0; i < features.size(); i++) {
        out.add("p" + i + "," + Double.parseDouble(targets.get(i)) + "," + String.join(",", features.get(i).split("\\s+")));
      }
      for (String e : extra) {
        out.add(e + "," + String.join(",", features.get(0).split("\\s+")));
      }
      Files.createDirectories(dir);
      Path csv = dir.resolve("diabetes.csv");
      Files.write(csv, out);
      return csv;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty()).toList();
    }
  }
}
