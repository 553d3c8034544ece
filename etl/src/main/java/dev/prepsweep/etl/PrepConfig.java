package dev.prepsweep.etl;

import dev.prepsweep.common.config.ConfigNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The validated {@code prep:} section. Built only by {@link #parse(ConfigNode)}: unknown keys and bad
 * values fail with a {@link dev.prepsweep.common.config.ConfigException} naming the file position,
 * key, value and rule, before any Spark work starts. Defaults live here, in {@code parse}, and
 * nowhere else.
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

  public static final List<String> FORMATS = List.of("csv", "json", "parquet", "delta", "text", "image", "idx");
  public static final List<String> UNICODE_FORMS = List.of("NFC", "NFKC", "NFD", "NFKD", "none");
  public static final List<String> MISSING_POLICIES = List.of("drop", "mean", "median", "mode", "constant");
  public static final List<String> CONFLICT_POLICIES = List.of("majority", "quarantine");
  public static final List<String> BALANCE_METHODS = List.of("none", "random", "smote");
  public static final List<String> ID_DUPLICATE_POLICIES = List.of("quarantine", "keep_first", "fail");
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
  }

  /** Whether the label is a number to predict (its strata are quantile bins) rather than a class. */
  public boolean regression() {
    return task.equals("regression");
  }

  /**
   * Where the records come from.
   *
   * @param format csv | json (JSON lines) | parquet | delta | text | image | idx
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
  public record Input(String format, String path, Long version, Map<String, String> options,
      String textPer, boolean labelFromFolder, String labelsPath, List<String> labelNames,
      int imageWidth, int imageHeight) implements Serializable {}

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
    public static final Guard DEFAULT = new Guard(1000, 0.2);
  }

  /** Whether the features column holds image pixels (idx input, or image input with a size). */
  public boolean pixelFeatures() {
    return input.format().equals("idx") || (input.format().equals("image") && input.imageWidth() > 0);
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
      String image, String group) implements Serializable {}

  /**
   * Missing-value policy of one column.
   *
   * @param policy drop | mean | median | mode | constant
   * @param constant the fill value for {@code constant}
   */
  public record Missing(String policy, Double constant) implements Serializable {}

  /**
   * @param unicode NFC | NFKC | NFD | NFKD | none
   * @param stripHtml remove tags, scripts, styles, comments; decode entities
   * @param stripControl remove control and format characters
   * @param quotedPrintable decode quoted-printable soft breaks and =XX escapes
   * @param lowercase case-fold (Locale.ROOT)
   * @param minTextChars rows whose cleaned text is shorter are quarantined (0: no check)
   * @param maxTextChars cleaned text is truncated to this many chars (0: no limit)
   * @param missing feature column to policy; {@code *} is the default for unlisted columns
   * @param clipLower lower quantile for outlier clipping of features (null: no clipping)
   * @param clipUpper upper quantile for outlier clipping of features
   */
  public record Clean(String unicode, boolean stripHtml, boolean stripControl, boolean quotedPrintable,
      boolean lowercase, int minTextChars, int maxTextChars, Map<String, Missing> missing,
      Double clipLower, Double clipUpper) implements Serializable {

    /** The policy for {@code column}: its own entry, else the {@code *} entry, else drop. */
    public Missing missingFor(String column) {
      Missing m = missing.get(column);
      if (m == null) {
        m = missing.get("*");
      }
      return m == null ? new Missing("drop", null) : m;
    }
  }

  /**
   * @param allowed allowed labels (after normalisation and mapping); empty: any non-empty label
   * @param map raw label (normalised) to label
   * @param normalize trim and lowercase raw labels before mapping and checking
   */
  public record Labels(List<String> allowed, Map<String, String> map, boolean normalize)
      implements Serializable {

    /** What a raw label becomes before mapping: trimmed and, if normalising, lowercased. */
    public String normalise(String raw) {
      String s = raw.strip();
      return normalize ? s.toLowerCase(Locale.ROOT) : s;
    }
  }

  /**
   * @param exact drop rows whose normalised content (text, features, image) is identical
   * @param near near-duplicate detection with banded MinHash; null when off
   * @param conflicts majority | quarantine: what to do when duplicates disagree on the label
   */
  public record Dedupe(boolean exact, Near near, String conflicts) implements Serializable {}

  /**
   * @param threshold Jaccard similarity at or above which two texts are near-duplicates
   * @param shingle characters per shingle
   * @param hashTables the least number of MinHash bands (the bands and their rows are otherwise
   *     chosen from the threshold, so that a pair at it is found with probability >= 0.999)
   */
  public record Near(double threshold, int shingle, int hashTables) implements Serializable {}

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
      boolean byGroup, int minPerSplit, int bins) implements Serializable {}

  /**
   * Records sharing an id (after exact and near-duplicate removal), so that no id reaches two splits.
   *
   * @param duplicates quarantine (every copy, rule {@code id.duplicate}) | keep_first (the first
   *     copy in input order stays, the others are quarantined) | fail (the run stops, exit code 3)
   */
  public record Ids(String duplicates) implements Serializable {}

  /** Text EDA operations: rates are the fraction of words touched per operation. */
  public record TextAugment(int copies, double synonym, double insert, double swap, double delete,
      boolean minorityOnly) implements Serializable {}

  /** Image augmentation; each copy applies one randomly chosen enabled operation. */
  public record ImageAugment(int copies, boolean flip, boolean rotate90, double rotateDegrees,
      double crop, double brightness, boolean minorityOnly) implements Serializable {}

  /** Train-only augmentation; a null part is off. */
  public record Augment(TextAugment text, ImageAugment image) implements Serializable {
    public boolean enabled() {
      return text != null || image != null;
    }
  }

  /**
   * @param method none | random (over/under-sampling) | smote (synthetic minority rows from features)
   * @param target max | min | mean | an integer (every class) | per-label integer counts; classes
   *     below the target are over-sampled (or SMOTEd), classes above it under-sampled
   * @param perLabel per-label targets when {@code target} is a mapping
   * @param k SMOTE neighbours
   * @param classWeights write a {@code class_weights} table (n / (k * n_c) on the train split)
   */
  public record Balance(String method, String target, Map<String, Long> perLabel, int k,
      boolean classWeights) implements Serializable {
    public boolean enabled() {
      return !"none".equals(method);
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

  // ---------------------------------------------------------------------------------------------
  // Parsing

  /**
   * Maps the {@code prep:} node to a validated config.
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
    prep.allowOnly(Set.of("input", "columns", "clean", "labels", "dedupe", "split", "augment", "balance", "guard", "ids"));
    if (task.equals("regression")) {
      RegressionChecks.check(prep); // before the class-only sections' own checks, whose advice would not apply
    }
    Input input = parseInput(prep.required("input"));
    Columns columns = parseColumns(prep.required("columns"), input);
    Clean clean = parseClean(prep.get("clean"), columns);
    Labels labels = parseLabels(prep.get("labels"));
    Dedupe dedupe = parseDedupe(prep.get("dedupe"));
    Split split = parseSplit(prep.get("split"), columns);
    Augment augment = parseAugment(prep.get("augment"), columns);
    Balance balance = parseBalance(prep.get("balance"), input, columns, labels);
    Guard guard = parseGuard(prep.get("guard"));
    Ids ids = parseIds(prep.get("ids"));
    if (task.equals("regression")) {
      balance = new Balance(balance.method(), balance.target(), balance.perLabel(), balance.k(), false);
    }
    return new PrepConfig(input, columns, clean, labels, dedupe, split, augment, balance, guard, ids, task);
  }

  private static Ids parseIds(Optional<ConfigNode> node) {
    if (node.isEmpty()) {
      return new Ids("quarantine");
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("duplicates"));
    return new Ids(n.get("duplicates").map(d -> d.asEnum(ID_DUPLICATE_POLICIES)).orElse("quarantine"));
  }

  private static Input parseInput(ConfigNode n) {
    n.allowOnly(Set.of("format", "path", "version", "options", "text_per", "label_from_folder",
        "labels_path", "label_names", "image_size"));
    String format = n.required("format").asEnum(FORMATS);
    ConfigNode pathNode = n.required("path");
    String path = pathNode.asString();
    if (path.isBlank()) {
      throw pathNode.invalid("must be a file or folder path");
    }
    Long version = null;
    if (n.has("version")) {
      ConfigNode v = n.required("version");
      if (!format.equals("delta")) {
        throw v.invalid("only a delta input has versions (format is " + format + ")");
      }
      version = v.asLong();
      if (version < 0) {
        throw v.invalid("must be >= 0");
      }
    }
    Map<String, String> options = new TreeMap<>();
    n.get("options").ifPresent(o -> o.entries().forEach((k, v) -> options.put(k, v.asString())));
    if (format.equals("csv")) {
      n.get("options").ifPresent(PrepConfig::checkCsvOptions);
    }
    String textPer = "line";
    if (n.has("text_per")) {
      ConfigNode t = n.required("text_per");
      if (!format.equals("text")) {
        throw t.invalid("applies only to format text (format is " + format + ")");
      }
      textPer = t.asEnum(List.of("line", "file"));
    }
    if (format.equals("text") && textPer.equals("line") && n.has("options")) {
      throw n.required("options").invalid("text read per line takes no options: prep splits the lines itself"
          + " (CRLF, LF or CR end a line)");
    }
    boolean fromFolder = n.getBoolean("label_from_folder", false);
    if (fromFolder && !(format.equals("text") || format.equals("image"))) {
      throw n.required("label_from_folder").invalid("applies only to formats text and image");
    }
    String labelsPath = null;
    List<String> labelNames = List.of();
    if (format.equals("idx")) {
      labelsPath = n.required("labels_path").asString();
      if (n.has("label_names")) {
        labelNames = strings(n.required("label_names"));
      }
    } else {
      for (String k : List.of("labels_path", "label_names")) {
        if (n.has(k)) {
          throw n.required(k).invalid("applies only to format idx (format is " + format + ")");
        }
      }
    }
    if (format.equals("image") && !fromFolder) {
      throw n.invalid("format image needs label_from_folder: true (labels are the folder names)");
    }
    int width = 0;
    int height = 0;
    if (n.has("image_size")) {
      ConfigNode sz = n.required("image_size");
      if (!format.equals("image")) {
        throw sz.invalid("applies only to format image (idx files carry their size)");
      }
      List<ConfigNode> wh = sz.asList();
      if (wh.size() != 2 || wh.get(0).asInt() < 1 || wh.get(1).asInt() < 1 || (long) wh.get(0).asInt() * wh.get(1).asInt() > 1 << 20) {
        throw sz.invalid("must be [width, height] with positive sizes of at most 2^20 pixels in all");
      }
      width = wh.get(0).asInt();
      height = wh.get(1).asInt();
    }
    return new Input(format, path, version, options, textPer, fromFolder, labelsPath, labelNames, width, height);
  }

  private static void checkCsvOptions(ConfigNode o) {
    o.allowOnly(CSV_OPTIONS.keySet());
    for (Map.Entry<String, ConfigNode> e : o.entries().entrySet()) {
      String v = e.getValue().asString();
      String rule = switch (e.getKey()) {
        case "header" -> v.equals("true") || v.equals("false") ? null : "must be true or false";
        case "sep", "delimiter", "escape" -> (v.length() == 1 && v.charAt(0) < 128 && v.charAt(0) != '\r'
            && v.charAt(0) != '\n') || v.equals("\\t") ? null : CSV_OPTIONS.get(e.getKey());
        case "quote" -> v.isEmpty() || (v.length() == 1 && v.charAt(0) < 128 && v.charAt(0) != '\r'
            && v.charAt(0) != '\n') ? null : CSV_OPTIONS.get("quote");
        case "multiLine" -> v.equals("true") ? null : CSV_OPTIONS.get("multiLine");
        case "encoding" -> v.equalsIgnoreCase("UTF-8") || v.equalsIgnoreCase("UTF8") ? null : CSV_OPTIONS.get("encoding");
        default -> null;
      };
      if (rule != null) {
        throw e.getValue().invalid(rule);
      }
    }
    if (o.has("sep") && o.has("delimiter")) {
      throw o.required("delimiter").invalid("give sep or delimiter, not both");
    }
  }

  private static Guard parseGuard(Optional<ConfigNode> node) {
    if (node.isEmpty()) {
      return Guard.DEFAULT;
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("max_labels", "max_quarantine_share"));
    int maxLabels = n.getInt("max_labels", Guard.DEFAULT.maxLabels());
    if (maxLabels < 1) {
      throw n.required("max_labels").invalid("must be >= 1");
    }
    double share = n.getDouble("max_quarantine_share", Guard.DEFAULT.maxQuarantineShare());
    if (!(share >= 0 && share <= 1)) {
      throw n.required("max_quarantine_share").invalid("must be between 0 and 1 (1: no limit)");
    }
    return new Guard(maxLabels, share);
  }

  private static Columns parseColumns(ConfigNode n, Input input) {
    n.allowOnly(Set.of("id", "label", "text", "features", "image", "group"));
    String id = n.getString("id", null);
    boolean derived = input.labelFromFolder() || input.format().equals("idx");
    String label = derived ? n.getString("label", "label") : n.required("label").asString();
    List<String> text = n.get("text").map(PrepConfig::stringOrList).orElse(List.of());
    List<String> features = n.get("features").map(PrepConfig::stringOrList).orElse(List.of());
    String image = n.getString("image", null);
    if ((input.format().equals("image") || input.format().equals("idx")) && image == null) {
      image = "image";
    }
    if (image != null && !(input.format().equals("image") || input.format().equals("idx")
        || input.format().equals("parquet") || input.format().equals("delta"))) {
      throw n.required("image").invalid("image bytes need format image, idx, parquet or delta");
    }
    String group = n.getString("group", null);
    if (!features.isEmpty() && (input.format().equals("image") || input.format().equals("idx"))) {
      throw n.required("features").invalid("image inputs take their features from the pixels (input.image_size)");
    }
    if (text.isEmpty() && features.isEmpty() && image == null && !input.format().equals("text")) {
      throw n.invalid("declare at least one of text, features or image: there is nothing to learn from");
    }
    if (input.format().equals("text") && text.isEmpty()) {
      text = List.of("text");
    }
    Set<String> seen = new TreeSet<>();
    List<String> all = new ArrayList<>();
    if (id != null) {
      all.add(id);
    }
    all.add(label);
    all.addAll(text);
    all.addAll(features);
    if (group != null) {
      all.add(group);
    }
    for (String c : all) {
      if (!seen.add(c)) {
        throw n.invalid("column '" + c + "' is given two roles; each column has one role");
      }
      if (c.startsWith("_")) {
        throw n.invalid("column '" + c + "': names starting with '_' are reserved for the job");
      }
    }
    return new Columns(id, label, List.copyOf(text), List.copyOf(features), image, group);
  }

  private static Clean parseClean(Optional<ConfigNode> node, Columns columns) {
    if (node.isEmpty()) {
      return new Clean("NFKC", false, true, false, false, 1, 0, Map.of(), null, null);
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("unicode", "strip_html", "strip_control", "quoted_printable", "lowercase",
        "min_text_chars", "max_text_chars", "missing", "clip"));
    String unicode = n.get("unicode").map(u -> u.asEnum(UNICODE_FORMS)).orElse("NFKC");
    int min = n.getInt("min_text_chars", columns.text().isEmpty() ? 0 : 1);
    if (min < 0) {
      throw n.required("min_text_chars").invalid("must be >= 0");
    }
    int max = n.getInt("max_text_chars", 0);
    if (max < 0 || (max > 0 && max < min)) {
      throw n.required("max_text_chars").invalid("must be 0 (no limit) or >= min_text_chars (" + min + ")");
    }
    Map<String, Missing> missing = new TreeMap<>();
    if (n.has("missing")) {
      ConfigNode m = n.required("missing");
      if (m.isScalar()) {
        missing.put("*", missing(m));
      } else {
        for (Map.Entry<String, ConfigNode> e : m.entries().entrySet()) {
          if (!e.getKey().equals("*") && !columns.features().contains(e.getKey())) {
            throw e.getValue().invalid("'" + e.getKey() + "' is not a feature column; features are "
                + columns.features() + " (use '*' for all)");
          }
          missing.put(e.getKey(), missing(e.getValue()));
        }
      }
    }
    Double lo = null;
    Double hi = null;
    if (n.has("clip")) {
      ConfigNode c = n.required("clip");
      c.allowOnly(Set.of("lower", "upper"));
      lo = c.getDouble("lower", 0.0);
      hi = c.getDouble("upper", 1.0);
      if (lo < 0 || hi > 1 || lo >= hi) {
        throw c.invalid("quantiles must satisfy 0 <= lower < upper <= 1, got lower=" + lo + ", upper=" + hi);
      }
      if (columns.features().isEmpty()) {
        throw c.invalid("clipping applies to feature columns and none are declared");
      }
    }
    return new Clean(unicode, n.getBoolean("strip_html", false), n.getBoolean("strip_control", true),
        n.getBoolean("quoted_printable", false), n.getBoolean("lowercase", false), min, max, missing, lo, hi);
  }

  private static Missing missing(ConfigNode m) {
    if (m.isMap()) {
      m.allowOnly(Set.of("constant"));
      return new Missing("constant", m.required("constant").asDouble());
    }
    String p = m.asEnum(MISSING_POLICIES);
    if (p.equals("constant")) {
      throw m.invalid("give the value as {constant: <number>}");
    }
    return new Missing(p, null);
  }

  private static Labels parseLabels(Optional<ConfigNode> node) {
    if (node.isEmpty()) {
      return new Labels(List.of(), Map.of(), true);
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("allowed", "map", "normalize"));
    boolean normalize = n.getBoolean("normalize", true);
    List<String> allowed = n.get("allowed").map(PrepConfig::strings).orElse(List.of());
    TreeSet<String> sorted = new TreeSet<>();
    for (String a : allowed) {
      String v = normalize ? a.strip().toLowerCase(Locale.ROOT) : a;
      if (v.isEmpty() || !sorted.add(v)) {
        throw n.required("allowed").invalid("labels must be non-empty and distinct"
            + (normalize ? " after trimming and lowercasing" : "") + ", got " + allowed);
      }
    }
    Map<String, String> map = new TreeMap<>();
    n.get("map").ifPresent(m -> m.entries().forEach((k, v) -> {
      String from = normalize ? k.strip().toLowerCase(Locale.ROOT) : k;
      String to = normalize ? v.asString().strip().toLowerCase(Locale.ROOT) : v.asString();
      if (!sorted.isEmpty() && !sorted.contains(to)) {
        throw v.invalid("maps to '" + to + "' which is not an allowed label " + sorted);
      }
      map.put(from, to);
    }));
    return new Labels(List.copyOf(sorted), map, normalize);
  }

  private static Dedupe parseDedupe(Optional<ConfigNode> node) {
    if (node.isEmpty()) {
      return new Dedupe(true, null, "majority");
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("exact", "near", "conflicts"));
    Near near = null;
    if (n.has("near")) {
      ConfigNode m = n.required("near");
      if (m.isScalar()) {
        if (m.asBoolean()) {
          near = new Near(0.8, 5, 3);
        }
      } else {
        m.allowOnly(Set.of("threshold", "shingle", "hash_tables"));
        double t = m.getDouble("threshold", 0.8);
        if (t <= 0 || t > 1) {
          throw m.required("threshold").invalid("Jaccard threshold must be in (0, 1]");
        }
        int sh = m.getInt("shingle", 5);
        if (sh < 1 || sh > 32) {
          throw m.required("shingle").invalid("must be between 1 and 32 characters");
        }
        int ht = m.getInt("hash_tables", 3);
        if (ht < 1 || ht > 64) {
          throw m.required("hash_tables").invalid("must be between 1 and 64");
        }
        near = new Near(t, sh, ht);
      }
    }
    String conflicts = n.get("conflicts").map(c -> c.asEnum(CONFLICT_POLICIES)).orElse("majority");
    return new Dedupe(n.getBoolean("exact", true), near, conflicts);
  }

  private static Split parseSplit(Optional<ConfigNode> node, Columns columns) {
    if (node.isEmpty()) {
      return new Split(0.8, 0.1, 0.1, true, 0, false, 0, 10);
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("train", "val", "test", "stratify", "folds", "by_group", "min_per_split", "bins"));
    double train = ratio(n, "train", 0.8);
    double val = ratio(n, "val", 0.1);
    double test = ratio(n, "test", 0.1);
    double sum = train + val + test;
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw n.invalid("split ratios must add up to 1, got train=" + train + " + val=" + val
          + " + test=" + test + " = " + sum);
    }
    if (train <= 0) {
      throw n.required("train").invalid("train must be > 0");
    }
    int folds = n.getInt("folds", 0);
    if (folds < 0 || folds == 1 || folds > 100) {
      throw n.required("folds").invalid("must be 0 (no folds) or between 2 and 100");
    }
    boolean byGroup = n.getBoolean("by_group", false);
    if (byGroup && columns.group() == null) {
      throw n.required("by_group").invalid("needs columns.group");
    }
    int minPerSplit = n.getInt("min_per_split", 0);
    if (minPerSplit < 0 || minPerSplit > 1_000_000) {
      throw n.required("min_per_split").invalid("must be between 0 (no minimum) and 1000000 rows");
    }
    boolean stratify = n.getBoolean("stratify", true);
    if (minPerSplit > 0 && (!stratify || byGroup)) {
      throw n.required("min_per_split").invalid("needs a stratified row split (stratify: true, by_group: false):"
          + " it sets per-class counts, which a group split or an unstratified split does not plan");
    }
    int bins = n.getInt("bins", 10);
    if (bins < 1 || bins > 1000) {
      throw n.required("bins").invalid("must be between 1 and 1000 quantile bins of the label (regression strata)");
    }
    return new Split(train, val, test, stratify, folds, byGroup, minPerSplit, bins);
  }

  private static double ratio(ConfigNode n, String key, double dflt) {
    double v = n.getDouble(key, n.has(key) ? 0 : dflt);
    if (v < 0 || v > 1) {
      throw n.required(key).invalid("must be between 0 and 1");
    }
    return v;
  }

  private static Augment parseAugment(Optional<ConfigNode> node, Columns columns) {
    if (node.isEmpty()) {
      return new Augment(null, null);
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("text", "image"));
    TextAugment text = null;
    if (n.has("text")) {
      ConfigNode t = n.required("text");
      t.allowOnly(Set.of("copies", "synonym", "insert", "swap", "delete", "minority_only"));
      if (columns.text().isEmpty()) {
        throw t.invalid("text augmentation needs text columns");
      }
      int copies = copies(t);
      text = new TextAugment(copies, rate(t, "synonym"), rate(t, "insert"), rate(t, "swap"),
          rate(t, "delete"), t.getBoolean("minority_only", false));
      if (text.synonym() + text.insert() + text.swap() + text.delete() == 0) {
        throw t.invalid("all operation rates are 0: set at least one of synonym, insert, swap, delete");
      }
    }
    ImageAugment image = null;
    if (n.has("image")) {
      ConfigNode i = n.required("image");
      i.allowOnly(Set.of("copies", "flip", "rotate90", "rotate_degrees", "crop", "brightness", "minority_only"));
      if (columns.image() == null) {
        throw i.invalid("image augmentation needs an image column");
      }
      double deg = i.getDouble("rotate_degrees", 0);
      if (deg < 0 || deg > 45) {
        throw i.required("rotate_degrees").invalid("small-angle rotation must be between 0 and 45 degrees");
      }
      double crop = i.getDouble("crop", 0);
      if (crop != 0 && (crop < 0.5 || crop >= 1)) {
        throw i.required("crop").invalid("crop keeps this fraction of each side: 0 (off) or in [0.5, 1)");
      }
      double bright = i.getDouble("brightness", 0);
      if (bright < 0 || bright > 1) {
        throw i.required("brightness").invalid("brightness jitter must be between 0 and 1");
      }
      image = new ImageAugment(copies(i), i.getBoolean("flip", true), i.getBoolean("rotate90", false), deg,
          crop, bright, i.getBoolean("minority_only", false));
    }
    return new Augment(text, image);
  }

  private static int copies(ConfigNode n) {
    int c = n.getInt("copies", 1);
    if (c < 1 || c > 100) {
      throw n.required("copies").invalid("must be between 1 and 100");
    }
    return c;
  }

  private static double rate(ConfigNode n, String key) {
    double v = n.getDouble(key, 0);
    if (v < 0 || v > 1) {
      throw n.required(key).invalid("rate must be between 0 and 1");
    }
    return v;
  }

  private static Balance parseBalance(Optional<ConfigNode> node, Input input, Columns columns, Labels labels) {
    if (node.isEmpty()) {
      return new Balance("none", "max", Map.of(), 5, true);
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("method", "target", "k", "class_weights"));
    String method = n.get("method").map(m -> m.asEnum(BALANCE_METHODS)).orElse("random");
    String target = "max";
    Map<String, Long> perLabel = new TreeMap<>();
    if (n.has("target")) {
      ConfigNode t = n.required("target");
      if (t.isMap()) {
        target = "labels";
        for (Map.Entry<String, ConfigNode> e : t.entries().entrySet()) {
          String l = labels.normalise(e.getKey());
          if (!labels.allowed().isEmpty() && !labels.allowed().contains(l)) {
            throw e.getValue().invalid("'" + l + "' is not an allowed label " + labels.allowed());
          }
          long c = e.getValue().asLong();
          if (c < 1) {
            throw e.getValue().invalid("target counts must be >= 1");
          }
          perLabel.put(l, c);
        }
      } else {
        String s = t.asString().toLowerCase(Locale.ROOT);
        if (List.of("max", "min", "mean").contains(s)) {
          target = s;
        } else {
          long c;
          try {
            c = Long.parseLong(s.replace("_", ""));
          } catch (NumberFormatException e) {
            throw t.invalid("must be max, min, mean, a row count, or a mapping label: count");
          }
          if (c < 1) {
            throw t.invalid("target count must be >= 1");
          }
          target = Long.toString(c);
        }
      }
    }
    int k = n.getInt("k", 5);
    if (k < 1 || k > 100) {
      throw n.required("k").invalid("must be between 1 and 100");
    }
    boolean pixels = input.format().equals("idx") || (input.format().equals("image") && input.imageWidth() > 0);
    if (method.equals("smote") && columns.features().isEmpty() && !pixels) {
      throw n.required("method").invalid("SMOTE interpolates numeric features and there are none (columns.features, or image pixels with input.image_size)");
    }
    return new Balance(method, target, perLabel, k, n.getBoolean("class_weights", true));
  }

  private static List<String> stringOrList(ConfigNode n) {
    return n.isScalar() ? List.of(n.asString()) : strings(n);
  }

  private static List<String> strings(ConfigNode n) {
    List<String> out = new ArrayList<>();
    for (ConfigNode c : n.asList()) {
      out.add(c.asString());
    }
    return out;
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
}
