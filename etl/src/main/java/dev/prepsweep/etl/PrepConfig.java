package dev.prepsweep.etl;

import dev.prepsweep.common.config.ConfigNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The validated {@code prep:} section: plain records whose constructors check their own invariants
 * (a record that exists is valid) and an enum for every mode. {@link PrepConfigParser} builds them
 * from YAML, failing with a {@link dev.prepsweep.common.config.ConfigException} naming the file
 * position, key, value and rule before any Spark work starts; every default lives in
 * {@link PrepDefaults}, one constant per section.
 *
 * <p>Each enum's {@code toString()} is its name in config files, so the record text (and with it
 * {@link #hash()} and {@link #describe()}, recorded in {@code prep_runs}) reads as the YAML does.
 *
 * @param input where and how to read the records
 * @param columns which input columns play which role
 * @param clean text and value cleaning rules
 * @param labels allowed labels and the label map
 * @param dedupe exact and near-duplicate removal
 * @param split train/val/test ratios, stratification, folds, groups
 * @param augment train-only augmentation (text EDA, images)
 * @param balance train-only re-balancing and class weights
 * @param guard limits that stop the job before it writes a table when the input looks misread
 * @param ids what to do with records that share an id
 * @param task {@code classification} (string labels) or {@code regression} (a numeric label, the job file's
 *     top-level {@code task} key)
 */
public record PrepConfig(
    Input input, Columns columns, Clean clean, Labels labels, Dedupe dedupe, Split split,
    Augment augment, Balance balance, Guard guard, Ids ids, String task) implements Serializable {

  public static final List<String> TASKS = List.of("classification", "regression");

  public PrepConfig {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(clean, "clean");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(dedupe, "dedupe");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(augment, "augment");
    Objects.requireNonNull(balance, "balance");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(task, "task");
    require(TASKS.contains(task), "task must be one of " + TASKS + ", got " + task);
  }

  /** Whether the label is a number to predict (its strata are quantile bins) rather than a class. */
  public boolean regression() {
    return task.equals("regression");
  }

  /**
   * Maps the {@code prep:} node to a validated config ({@link PrepConfigParser} does the work).
   *
   * @throws dev.prepsweep.common.config.ConfigException on unknown keys, missing keys and bad values
   */
  public static PrepConfig parse(ConfigNode prep) {
    return parse(prep, "classification");
  }

  /**
   * As {@link #parse(ConfigNode)} for a job whose top-level {@code task} is {@code task}; regression refuses the
   * steps that only make sense for classes ({@link RegressionChecks}).
   */
  public static PrepConfig parse(ConfigNode prep, String task) {
    return PrepConfigParser.parse(prep, task);
  }

  // ---------------------------------------------------------------------------------------------
  // Modes: each constant's toString() is its config name

  /** {@code input.format}. */
  public enum Format {
    CSV, JSON, PARQUET, DELTA, TEXT, IMAGE, IDX;

    /** Whether records are image bytes (their label from folders or an IDX labels file). */
    public boolean isImage() {
      return this == IMAGE || this == IDX;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code input.text_per}: one record per line or per file. */
  public enum TextPer {
    LINE, FILE;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code clean.unicode}: a Unicode normalisation form, or none. */
  public enum UnicodeForm {
    NFC, NFKC, NFD, NFKD, NONE;

    /** The JDK's form, or null for {@code none}. */
    public Normalizer.Form normalizerForm() {
      return this == NONE ? null : Normalizer.Form.valueOf(name());
    }

    @Override
    public String toString() {
      return this == NONE ? "none" : name();
    }
  }

  /** {@code clean.missing}: what a missing feature value becomes. */
  public enum MissingPolicy {
    DROP, MEAN, MEDIAN, MODE, CONSTANT;

    /** Whether MLlib's {@code Imputer} fills it (its strategy is {@link #toString()}). */
    public boolean imputed() {
      return this == MEAN || this == MEDIAN || this == MODE;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code dedupe.conflicts}: what happens when duplicates disagree on the label. */
  public enum ConflictPolicy {
    MAJORITY, QUARANTINE;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code balance.method}. */
  public enum BalanceMethod {
    NONE, RANDOM, SMOTE;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code ids.duplicates}: records sharing an id. */
  public enum IdDuplicates {
    QUARANTINE, KEEP_FIRST, FAIL;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sections

  /**
   * Where the records come from.
   *
   * @param format the input format
   * @param path a file or folder; relative paths resolve against the working directory
   * @param version delta only: the version to read (time travel); null for the latest
   * @param options extra reader options passed to Spark (csv: delimiter, quote, escape, ...)
   * @param textPer text only: one record per {@code line} or per {@code file}
   * @param labelFromFolder text/image: take the label from the parent folder's name
   * @param labelsPath idx only: the IDX labels file matching the images file in {@code path}
   * @param labelNames idx only: names for label numbers 0..n-1 (default: the numbers)
   * @param imageWidth image only: expected width; with it, images of another size are quarantined
   *     and the grayscale pixels become the {@code features} column (0: not set)
   * @param imageHeight image only: expected height (0: not set)
   */
  public record Input(Format format, String path, Long version, Map<String, String> options,
      TextPer textPer, boolean labelFromFolder, String labelsPath, List<String> labelNames,
      int imageWidth, int imageHeight) implements Serializable {
    public Input {
      Objects.requireNonNull(format, "input.format");
      Objects.requireNonNull(path, "input.path");
      Objects.requireNonNull(textPer, "input.text_per");
      require(!path.isBlank(), "input.path must be a file or folder path");
      require(version == null || (format == Format.DELTA && version >= 0),
          "input.version needs format delta and a version >= 0, got " + version);
      require(textPer == TextPer.LINE || format == Format.TEXT, "input.text_per applies only to format text");
      require(!labelFromFolder || format == Format.TEXT || format == Format.IMAGE,
          "input.label_from_folder applies only to formats text and image");
      require((labelsPath != null) == (format == Format.IDX), "input.labels_path is required for idx and only for idx");
      require(imageWidth >= 0 && imageHeight >= 0 && (imageWidth == 0) == (imageHeight == 0),
          "input.image_size must be two positive sizes or unset, got " + imageWidth + "x" + imageHeight);
      options = sorted(options);
      labelNames = List.copyOf(labelNames);
    }
  }

  /** CSV reader options (prep.input.options) and what they may be; RFC 4180 when none are given. */
  public static final Map<String, String> CSV_OPTIONS = new TreeMap<>(Map.of(
      "header", "true | false (default true): the first record of each file names the columns",
      "sep", "the field delimiter, one ASCII character (default ,; \\t for a tab)",
      "delimiter", "the same as sep",
      "quote", "the quote character, one ASCII character (default \"), or '' for no quoting",
      "escape", "inside quoted fields, makes the next character data, one ASCII character"
          + " (default: none, a doubled quote is a quote as in RFC 4180)",
      "multiLine", "true only: quoted fields may hold line ends, always",
      "encoding", "UTF-8 only: convert other encodings first"));

  /**
   * Limits that stop the job (exit code 3) after reading and before writing any table, because
   * past them the input was most likely misread (wrong delimiter, quote or escape).
   *
   * @param maxLabels the most distinct labels among valid records
   * @param maxQuarantineShare the largest share of records quarantined when read and cleaned (0..1)
   */
  public record Guard(int maxLabels, double maxQuarantineShare) implements Serializable {
    public Guard {
      require(maxLabels >= 1, "guard.max_labels must be >= 1, got " + maxLabels);
      require(maxQuarantineShare >= 0 && maxQuarantineShare <= 1,
          "guard.max_quarantine_share must be between 0 and 1, got " + maxQuarantineShare);
    }
  }

  /** Whether the features column holds image pixels (idx input, or image input with a size). */
  public boolean pixelFeatures() {
    return input.format() == Format.IDX || (input.format() == Format.IMAGE && input.imageWidth() > 0);
  }

  /** Whether the outputs carry a {@code features} column. */
  public boolean hasFeatures() {
    return !columns.features().isEmpty() || pixelFeatures();
  }

  /**
   * Column roles. Every name must exist in the input (checked when the input is read).
   *
   * @param id the record id column; null: derived from a hash of the original record
   * @param label the label column (for text/image with label_from_folder, the derived label)
   * @param text text columns, joined with a space after cleaning
   * @param features numeric feature columns (coerced to double)
   * @param image the image bytes column (image/idx formats)
   * @param group a group column (e.g. a user or a source) carried to the outputs
   */
  public record Columns(String id, String label, List<String> text, List<String> features,
      String image, String group) implements Serializable {
    public Columns {
      Objects.requireNonNull(label, "columns.label");
      text = List.copyOf(text);
      features = List.copyOf(features);
    }
  }

  /**
   * Missing-value policy of one column.
   *
   * @param policy what a missing value becomes
   * @param constant the fill value for {@code constant} (null otherwise)
   */
  public record Missing(MissingPolicy policy, Double constant) implements Serializable {
    public Missing {
      Objects.requireNonNull(policy, "clean.missing");
      require((policy == MissingPolicy.CONSTANT) == (constant != null),
          "clean.missing: a constant value goes with policy constant and only with it");
    }
  }

  /**
   * @param unicode the Unicode normalisation form
   * @param stripHtml remove tags, scripts, styles, comments; decode entities
   * @param stripControl remove control and format characters
   * @param quotedPrintable decode quoted-printable soft breaks and =XX escapes
   * @param lowercase case-fold (Locale.ROOT)
   * @param minTextChars rows whose cleaned text is shorter are quarantined (0: no check; no text
   *     columns: no check either)
   * @param maxTextChars cleaned text is truncated to this many chars (0: no limit)
   * @param missing feature column to policy; {@code *} is the default for unlisted columns
   * @param clipLower lower quantile for outlier clipping of features (null: no clipping)
   * @param clipUpper upper quantile for outlier clipping of features
   */
  public record Clean(UnicodeForm unicode, boolean stripHtml, boolean stripControl, boolean quotedPrintable,
      boolean lowercase, int minTextChars, int maxTextChars, Map<String, Missing> missing,
      Double clipLower, Double clipUpper) implements Serializable {

    public Clean {
      Objects.requireNonNull(unicode, "clean.unicode");
      require(minTextChars >= 0, "clean.min_text_chars must be >= 0, got " + minTextChars);
      require(maxTextChars == 0 || maxTextChars >= Math.max(1, minTextChars),
          "clean.max_text_chars must be 0 (no limit) or >= min_text_chars (" + minTextChars + "), got " + maxTextChars);
      require((clipLower == null) == (clipUpper == null)
          && (clipLower == null || (clipLower >= 0 && clipUpper <= 1 && clipLower < clipUpper)),
          "clean.clip quantiles must satisfy 0 <= lower < upper <= 1, got lower=" + clipLower + ", upper=" + clipUpper);
      missing = sorted(missing);
    }

    /** The policy for {@code column}: its own entry, else the {@code *} entry, else the default. */
    public Missing missingFor(String column) {
      Missing m = missing.get(column);
      if (m == null) {
        m = missing.get("*");
      }
      return m == null ? PrepDefaults.MISSING : m;
    }
  }

  /**
   * @param allowed allowed labels (after normalisation and mapping); empty: any non-empty label
   * @param map raw label (normalised) to label
   * @param normalize trim and lowercase raw labels before mapping and checking
   */
  public record Labels(List<String> allowed, Map<String, String> map, boolean normalize)
      implements Serializable {

    public Labels {
      allowed = List.copyOf(allowed);
      map = sorted(map);
    }

    /** What a raw label becomes before mapping: trimmed and, if normalising, lowercased. */
    public String normalise(String raw) {
      String s = raw.strip();
      return normalize ? s.toLowerCase(Locale.ROOT) : s;
    }
  }

  /**
   * @param exact drop rows whose normalised content (text, features, image) is identical
   * @param near near-duplicate detection with banded MinHash; null when off
   * @param conflicts what to do when duplicates disagree on the label
   */
  public record Dedupe(boolean exact, Near near, ConflictPolicy conflicts) implements Serializable {
    public Dedupe {
      Objects.requireNonNull(conflicts, "dedupe.conflicts");
    }
  }

  /**
   * @param threshold Jaccard similarity at or above which two texts are near-duplicates
   * @param shingle characters per shingle
   * @param hashTables the least number of MinHash bands (the bands and their rows are otherwise
   *     chosen from the threshold, so that a pair at it is found with probability >= 0.999)
   */
  public record Near(double threshold, int shingle, int hashTables) implements Serializable {
    public Near {
      require(threshold > 0 && threshold <= 1, "dedupe.near.threshold must be in (0, 1], got " + threshold);
      require(shingle >= 1 && shingle <= 32, "dedupe.near.shingle must be between 1 and 32, got " + shingle);
      require(hashTables >= 1 && hashTables <= 64, "dedupe.near.hash_tables must be between 1 and 64, got " + hashTables);
    }
  }

  /**
   * @param train ratio of rows in train
   * @param val ratio in val
   * @param test ratio in test
   * @param stratify exact per-class counts (else exact overall counts only)
   * @param folds when &gt; 1, train rows get a {@code fold} column 0..folds-1, balanced per class
   * @param byGroup keep each group (columns.group) in one split
   * @param minPerSplit rows each class must get in every split with a ratio above 0 (0: no
   *     minimum; a class too small for it fails the run)
   * @param bins regression: the label's quantile bins, the strata of a stratified split
   */
  public record Split(double train, double val, double test, boolean stratify, int folds,
      boolean byGroup, int minPerSplit, int bins) implements Serializable {
    public Split {
      require(bins >= 1 && bins <= 1000, "split.bins must be between 1 and 1000, got " + bins);
      require(train > 0 && train <= 1 && val >= 0 && val <= 1 && test >= 0 && test <= 1
          && Math.abs(train + val + test - 1.0) <= 1e-6,
          "split ratios must be in [0, 1] with train > 0 and add up to 1, got train=" + train + ", val=" + val
              + ", test=" + test);
      require(folds == 0 || (folds >= 2 && folds <= 100), "split.folds must be 0 or between 2 and 100, got " + folds);
      require(minPerSplit >= 0 && minPerSplit <= 1_000_000,
          "split.min_per_split must be between 0 and 1000000, got " + minPerSplit);
      require(minPerSplit == 0 || (stratify && !byGroup), "split.min_per_split needs a stratified row split");
    }
  }

  /**
   * Records sharing an id (after exact and near-duplicate removal), so that no id reaches two splits.
   *
   * @param duplicates quarantine (every copy, rule {@code id.duplicate}) | keep_first (the first
   *     copy in input order stays, the others are quarantined) | fail (the run stops, exit code 3)
   */
  public record Ids(IdDuplicates duplicates) implements Serializable {
    public Ids {
      Objects.requireNonNull(duplicates, "ids.duplicates");
    }
  }

  /** Text EDA operations: rates are the fraction of words touched per operation. */
  public record TextAugment(int copies, double synonym, double insert, double swap, double delete,
      boolean minorityOnly) implements Serializable {
    public TextAugment {
      require(copies >= 1 && copies <= 100, "augment.text.copies must be between 1 and 100, got " + copies);
      for (double rate : new double[] {synonym, insert, swap, delete}) {
        require(rate >= 0 && rate <= 1, "augment.text rates must be between 0 and 1, got " + rate);
      }
    }
  }

  /** Image augmentation; each copy applies one randomly chosen enabled operation. */
  public record ImageAugment(int copies, boolean flip, boolean rotate90, double rotateDegrees,
      double crop, double brightness, boolean minorityOnly) implements Serializable {
    public ImageAugment {
      require(copies >= 1 && copies <= 100, "augment.image.copies must be between 1 and 100, got " + copies);
      require(rotateDegrees >= 0 && rotateDegrees <= 45, "augment.image.rotate_degrees must be between 0 and 45");
      require(crop == 0 || (crop >= 0.5 && crop < 1), "augment.image.crop must be 0 (off) or in [0.5, 1)");
      require(brightness >= 0 && brightness <= 1, "augment.image.brightness must be between 0 and 1");
    }
  }

  /** Train-only augmentation; a null part is off. */
  public record Augment(TextAugment text, ImageAugment image) implements Serializable {
    public boolean enabled() {
      return text != null || image != null;
    }
  }

  /**
   * @param method none, random (over/under-sampling) or smote (synthetic minority rows from features)
   * @param target max | min | mean | an integer (every class) | {@code labels} (per-label counts in
   *     {@code perLabel}); classes below the target are over-sampled (or SMOTEd), classes above it
   *     under-sampled
   * @param perLabel per-label targets when {@code target} is {@code labels}
   * @param k SMOTE neighbours
   * @param classWeights write a {@code class_weights} table (n / (k * n_c) on the train split)
   */
  public record Balance(BalanceMethod method, String target, Map<String, Long> perLabel, int k,
      boolean classWeights) implements Serializable {
    public Balance {
      Objects.requireNonNull(method, "balance.method");
      Objects.requireNonNull(target, "balance.target");
      require(List.of("max", "min", "mean", "labels").contains(target) || target.matches("[1-9][0-9]*"),
          "balance.target must be max, min, mean, labels or a row count >= 1, got " + target);
      require(target.equals("labels") != perLabel.isEmpty(), "balance: per-label counts go with target labels only");
      require(k >= 1 && k <= 100, "balance.k must be between 1 and 100, got " + k);
      perLabel = sorted(perLabel);
    }

    public boolean enabled() {
      return method != BalanceMethod.NONE;
    }
  }

  /** SHA-256 of the normalised config (record text with defaults filled in, maps sorted). */
  public String hash() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      // every Java platform must provide SHA-256 (java.security.MessageDigest's contract)
      throw new IllegalStateException("this JVM provides no SHA-256 digest, which the config hash needs", e);
    }
  }

  /** The effective config as a sorted key/value map, for lineage (prep_runs.config). */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input", input.toString());
    m.put("columns", columns.toString());
    m.put("clean", clean.toString());
    m.put("labels", labels.toString());
    m.put("dedupe", dedupe.toString());
    m.put("split", split.toString());
    m.put("augment", augment.toString());
    m.put("balance", balance.toString());
    m.put("guard", guard.toString());
    m.put("ids", ids.toString());
    m.put("task", task);
    return m;
  }

  static void require(boolean rule, String message) {
    if (!rule) {
      throw new IllegalArgumentException(message);
    }
  }

  /** An unmodifiable copy in key order, so the record text (and the hash) does not depend on input order. */
  static <V> Map<String, V> sorted(Map<String, V> map) {
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
