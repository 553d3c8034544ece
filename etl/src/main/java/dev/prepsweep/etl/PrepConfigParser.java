package dev.prepsweep.etl;

import dev.prepsweep.common.config.ConfigNode;
import dev.prepsweep.etl.PrepConfig.Augment;
import dev.prepsweep.etl.PrepConfig.Balance;
import dev.prepsweep.etl.PrepConfig.BalanceMethod;
import dev.prepsweep.etl.PrepConfig.Clean;
import dev.prepsweep.etl.PrepConfig.Columns;
import dev.prepsweep.etl.PrepConfig.ConflictPolicy;
import dev.prepsweep.etl.PrepConfig.Dedupe;
import dev.prepsweep.etl.PrepConfig.Format;
import dev.prepsweep.etl.PrepConfig.Guard;
import dev.prepsweep.etl.PrepConfig.IdDuplicates;
import dev.prepsweep.etl.PrepConfig.Ids;
import dev.prepsweep.etl.PrepConfig.ImageAugment;
import dev.prepsweep.etl.PrepConfig.Input;
import dev.prepsweep.etl.PrepConfig.Labels;
import dev.prepsweep.etl.PrepConfig.Missing;
import dev.prepsweep.etl.PrepConfig.MissingPolicy;
import dev.prepsweep.etl.PrepConfig.Near;
import dev.prepsweep.etl.PrepConfig.Split;
import dev.prepsweep.etl.PrepConfig.TextAugment;
import dev.prepsweep.etl.PrepConfig.TextPer;
import dev.prepsweep.etl.PrepConfig.UnicodeForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the {@code prep:} YAML node into a {@link PrepConfig}. Every failure is a
 * {@link dev.prepsweep.common.config.ConfigException} naming the file position, key, value and
 * rule; every key left out takes its value from {@link PrepDefaults}, so an empty section and an
 * absent one give equal records.
 */
final class PrepConfigParser {

  private PrepConfigParser() {}

  static PrepConfig parse(ConfigNode prep, String task) {
    prep.allowOnly(Set.of("input", "columns", "clean", "labels", "dedupe", "split", "augment", "balance", "guard", "ids"));
    if (task.equals("regression")) {
      RegressionChecks.check(prep); // before the class-only sections' own checks, whose advice would not apply
    }
    Input input = input(prep.required("input"));
    Columns columns = columns(prep.required("columns"), input);
    Clean clean = prep.get("clean").map(n -> clean(n, columns)).orElse(PrepDefaults.CLEAN);
    Labels labels = prep.get("labels").map(PrepConfigParser::labels).orElse(PrepDefaults.LABELS);
    Dedupe dedupe = prep.get("dedupe").map(PrepConfigParser::dedupe).orElse(PrepDefaults.DEDUPE);
    Split split = split(prep.get("split"), columns);
    Augment augment = prep.get("augment").map(n -> augment(n, columns)).orElse(PrepDefaults.AUGMENT);
    Balance balance = prep.get("balance").map(n -> balance(n, input, columns, labels)).orElse(PrepDefaults.BALANCE);
    Guard guard = prep.get("guard").map(PrepConfigParser::guard).orElse(PrepDefaults.GUARD);
    Ids ids = prep.get("ids").map(PrepConfigParser::ids).orElse(PrepDefaults.IDS);
    if (task.equals("regression")) {
      balance = new Balance(balance.method(), balance.target(), balance.perLabel(), balance.k(), false);
    }
    return new PrepConfig(input, columns, clean, labels, dedupe, split, augment, balance, guard, ids, task);
  }

  private static Ids ids(ConfigNode n) {
    n.allowOnly(Set.of("duplicates"));
    return new Ids(n.get("duplicates").map(d -> d.asEnum(IdDuplicates.class)).orElse(PrepDefaults.IDS.duplicates()));
  }

  private static Input input(ConfigNode n) {
    n.allowOnly(Set.of("format", "path", "version", "options", "text_per", "label_from_folder",
        "labels_path", "label_names", "image_size"));
    Format format = n.required("format").asEnum(Format.class);
    ConfigNode pathNode = n.required("path");
    String path = pathNode.asString();
    if (path.isBlank()) {
      throw pathNode.invalid("must be a file or folder path");
    }
    Long version = null;
    if (n.has("version")) {
      ConfigNode v = n.required("version");
      if (format != Format.DELTA) {
        throw v.invalid("only a delta input has versions (format is " + format + ")");
      }
      version = v.asLong();
      if (version < 0) {
        throw v.invalid("must be >= 0");
      }
    }
    Map<String, String> options = new TreeMap<>();
    n.get("options").ifPresent(o -> o.entries().forEach((k, v) -> options.put(k, v.asString())));
    if (format == Format.CSV) {
      n.get("options").ifPresent(PrepConfigParser::checkCsvOptions);
    }
    TextPer textPer = PrepDefaults.TEXT_PER;
    if (n.has("text_per")) {
      ConfigNode t = n.required("text_per");
      if (format != Format.TEXT) {
        throw t.invalid("applies only to format text (format is " + format + ")");
      }
      textPer = t.asEnum(TextPer.class);
    }
    if (format == Format.TEXT && textPer == TextPer.LINE && n.has("options")) {
      throw n.required("options").invalid("text read per line takes no options: prep splits the lines itself"
          + " (CRLF, LF or CR end a line)");
    }
    boolean fromFolder = n.getBoolean("label_from_folder", PrepDefaults.LABEL_FROM_FOLDER);
    if (fromFolder && !(format == Format.TEXT || format == Format.IMAGE)) {
      throw n.required("label_from_folder").invalid("applies only to formats text and image");
    }
    String labelsPath = null;
    List<String> labelNames = List.of();
    if (format == Format.IDX) {
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
    if (format == Format.IMAGE && !fromFolder) {
      throw n.invalid("format image needs label_from_folder: true (labels are the folder names)");
    }
    int width = 0;
    int height = 0;
    if (n.has("image_size")) {
      ConfigNode sz = n.required("image_size");
      if (format != Format.IMAGE) {
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
    o.allowOnly(PrepConfig.CSV_OPTIONS.keySet());
    for (Map.Entry<String, ConfigNode> e : o.entries().entrySet()) {
      String v = e.getValue().asString();
      String rule = switch (e.getKey()) {
        case "header" -> v.equals("true") || v.equals("false") ? null : "must be true or false";
        case "sep", "delimiter", "escape" -> (v.length() == 1 && v.charAt(0) < 128 && v.charAt(0) != '\r'
            && v.charAt(0) != '\n') || v.equals("\\t") ? null : PrepConfig.CSV_OPTIONS.get(e.getKey());
        case "quote" -> v.isEmpty() || (v.length() == 1 && v.charAt(0) < 128 && v.charAt(0) != '\r'
            && v.charAt(0) != '\n') ? null : PrepConfig.CSV_OPTIONS.get("quote");
        case "multiLine" -> v.equals("true") ? null : PrepConfig.CSV_OPTIONS.get("multiLine");
        case "encoding" -> v.equalsIgnoreCase("UTF-8") || v.equalsIgnoreCase("UTF8") ? null
            : PrepConfig.CSV_OPTIONS.get("encoding");
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

  private static Guard guard(ConfigNode n) {
    n.allowOnly(Set.of("max_labels", "max_quarantine_share"));
    int maxLabels = n.getInt("max_labels", PrepDefaults.GUARD.maxLabels());
    if (maxLabels < 1) {
      throw n.required("max_labels").invalid("must be >= 1");
    }
    double share = n.getDouble("max_quarantine_share", PrepDefaults.GUARD.maxQuarantineShare());
    if (!(share >= 0 && share <= 1)) {
      throw n.required("max_quarantine_share").invalid("must be between 0 and 1 (1: no limit)");
    }
    return new Guard(maxLabels, share);
  }

  private static Columns columns(ConfigNode n, Input input) {
    n.allowOnly(Set.of("id", "label", "text", "features", "image", "group"));
    String id = n.getString("id", null);
    boolean derived = input.labelFromFolder() || input.format() == Format.IDX;
    String label = derived ? n.getString("label", PrepDefaults.DERIVED_LABEL_COLUMN) : n.required("label").asString();
    List<String> text = n.get("text").map(PrepConfigParser::stringOrList).orElse(List.of());
    List<String> features = n.get("features").map(PrepConfigParser::stringOrList).orElse(List.of());
    String image = n.getString("image", null);
    if (input.format().isImage() && image == null) {
      image = PrepDefaults.IMAGE_COLUMN;
    }
    if (image != null && !(input.format().isImage() || input.format() == Format.PARQUET
        || input.format() == Format.DELTA)) {
      throw n.required("image").invalid("image bytes need format image, idx, parquet or delta");
    }
    String group = n.getString("group", null);
    if (!features.isEmpty() && input.format().isImage()) {
      throw n.required("features").invalid("image inputs take their features from the pixels (input.image_size)");
    }
    if (text.isEmpty() && features.isEmpty() && image == null && input.format() != Format.TEXT) {
      throw n.invalid("declare at least one of text, features or image: there is nothing to learn from");
    }
    if (input.format() == Format.TEXT && text.isEmpty()) {
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
    return new Columns(id, label, text, features, image, group);
  }

  private static Clean clean(ConfigNode n, Columns columns) {
    Clean d = PrepDefaults.CLEAN;
    n.allowOnly(Set.of("unicode", "strip_html", "strip_control", "quoted_printable", "lowercase",
        "min_text_chars", "max_text_chars", "missing", "clip"));
    UnicodeForm unicode = n.get("unicode").map(u -> u.asEnum(UnicodeForm.class)).orElse(d.unicode());
    int min = n.getInt("min_text_chars", d.minTextChars());
    if (min < 0) {
      throw n.required("min_text_chars").invalid("must be >= 0");
    }
    int max = n.getInt("max_text_chars", d.maxTextChars());
    if (max < 0 || (max > 0 && max < min)) {
      throw n.required("max_text_chars").invalid("must be 0 (no limit) or >= min_text_chars (" + min + ")");
    }
    Map<String, Missing> missing = new TreeMap<>(d.missing());
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
    Double lo = d.clipLower();
    Double hi = d.clipUpper();
    if (n.has("clip")) {
      ConfigNode c = n.required("clip");
      c.allowOnly(Set.of("lower", "upper"));
      lo = c.getDouble("lower", PrepDefaults.CLIP_LOWER);
      hi = c.getDouble("upper", PrepDefaults.CLIP_UPPER);
      if (lo < 0 || hi > 1 || lo >= hi) {
        throw c.invalid("quantiles must satisfy 0 <= lower < upper <= 1, got lower=" + lo + ", upper=" + hi);
      }
      if (columns.features().isEmpty()) {
        throw c.invalid("clipping applies to feature columns and none are declared");
      }
    }
    return new Clean(unicode, n.getBoolean("strip_html", d.stripHtml()), n.getBoolean("strip_control", d.stripControl()),
        n.getBoolean("quoted_printable", d.quotedPrintable()), n.getBoolean("lowercase", d.lowercase()), min, max,
        missing, lo, hi);
  }

  private static Missing missing(ConfigNode m) {
    if (m.isMap()) {
      m.allowOnly(Set.of("constant"));
      return new Missing(MissingPolicy.CONSTANT, m.required("constant").asDouble());
    }
    MissingPolicy p = m.asEnum(MissingPolicy.class);
    if (p == MissingPolicy.CONSTANT) {
      throw m.invalid("give the value as {constant: <number>}");
    }
    return new Missing(p, null);
  }

  private static Labels labels(ConfigNode n) {
    n.allowOnly(Set.of("allowed", "map", "normalize"));
    boolean normalize = n.getBoolean("normalize", PrepDefaults.LABELS.normalize());
    List<String> allowed = n.get("allowed").map(PrepConfigParser::strings).orElse(PrepDefaults.LABELS.allowed());
    TreeSet<String> sorted = new TreeSet<>();
    for (String a : allowed) {
      String v = normalize ? a.strip().toLowerCase(Locale.ROOT) : a;
      if (v.isEmpty() || !sorted.add(v)) {
        throw n.required("allowed").invalid("labels must be non-empty and distinct"
            + (normalize ? " after trimming and lowercasing" : "") + ", got " + allowed);
      }
    }
    Map<String, String> map = new TreeMap<>(PrepDefaults.LABELS.map());
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

  private static Dedupe dedupe(ConfigNode n) {
    n.allowOnly(Set.of("exact", "near", "conflicts"));
    Near near = PrepDefaults.DEDUPE.near();
    if (n.has("near")) {
      ConfigNode m = n.required("near");
      if (m.isScalar()) {
        near = m.asBoolean() ? PrepDefaults.NEAR : null;
      } else {
        m.allowOnly(Set.of("threshold", "shingle", "hash_tables"));
        double t = m.getDouble("threshold", PrepDefaults.NEAR.threshold());
        if (t <= 0 || t > 1) {
          throw m.required("threshold").invalid("Jaccard threshold must be in (0, 1]");
        }
        int sh = m.getInt("shingle", PrepDefaults.NEAR.shingle());
        if (sh < 1 || sh > 32) {
          throw m.required("shingle").invalid("must be between 1 and 32 characters");
        }
        int ht = m.getInt("hash_tables", PrepDefaults.NEAR.hashTables());
        if (ht < 1 || ht > 64) {
          throw m.required("hash_tables").invalid("must be between 1 and 64");
        }
        near = new Near(t, sh, ht);
      }
    }
    ConflictPolicy conflicts = n.get("conflicts").map(c -> c.asEnum(ConflictPolicy.class))
        .orElse(PrepDefaults.DEDUPE.conflicts());
    return new Dedupe(n.getBoolean("exact", PrepDefaults.DEDUPE.exact()), near, conflicts);
  }

  private static Split split(Optional<ConfigNode> node, Columns columns) {
    Split d = PrepDefaults.SPLIT;
    if (node.isEmpty()) {
      return d;
    }
    ConfigNode n = node.get();
    n.allowOnly(Set.of("train", "val", "test", "stratify", "folds", "by_group", "min_per_split", "bins"));
    double train = ratio(n, "train", d.train());
    double val = ratio(n, "val", d.val());
    double test = ratio(n, "test", d.test());
    double sum = train + val + test;
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw n.invalid("split ratios must add up to 1, got train=" + train + " + val=" + val
          + " + test=" + test + " = " + sum);
    }
    if (train <= 0) {
      throw n.required("train").invalid("train must be > 0");
    }
    int folds = n.getInt("folds", d.folds());
    if (folds < 0 || folds == 1 || folds > 100) {
      throw n.required("folds").invalid("must be 0 (no folds) or between 2 and 100");
    }
    boolean byGroup = n.getBoolean("by_group", d.byGroup());
    if (byGroup && columns.group() == null) {
      throw n.required("by_group").invalid("needs columns.group");
    }
    int minPerSplit = n.getInt("min_per_split", d.minPerSplit());
    if (minPerSplit < 0 || minPerSplit > 1_000_000) {
      throw n.required("min_per_split").invalid("must be between 0 (no minimum) and 1000000 rows");
    }
    boolean stratify = n.getBoolean("stratify", d.stratify());
    if (minPerSplit > 0 && (!stratify || byGroup)) {
      throw n.required("min_per_split").invalid("needs a stratified row split (stratify: true, by_group: false):"
          + " it sets per-class counts, which a group split or an unstratified split does not plan");
    }
    int bins = n.getInt("bins", d.bins());
    if (bins < 1 || bins > 1000) {
      throw n.required("bins").invalid("must be between 1 and 1000 quantile bins of the label (regression strata)");
    }
    return new Split(train, val, test, stratify, folds, byGroup, minPerSplit, bins);
  }

  private static double ratio(ConfigNode n, String key, double dflt) {
    double v = n.getDouble(key, dflt);
    if (v < 0 || v > 1) {
      throw n.required(key).invalid("must be between 0 and 1");
    }
    return v;
  }

  private static Augment augment(ConfigNode n, Columns columns) {
    n.allowOnly(Set.of("text", "image"));
    TextAugment text = PrepDefaults.AUGMENT.text();
    if (n.has("text")) {
      TextAugment d = PrepDefaults.TEXT_AUGMENT;
      ConfigNode t = n.required("text");
      t.allowOnly(Set.of("copies", "synonym", "insert", "swap", "delete", "minority_only"));
      if (columns.text().isEmpty()) {
        throw t.invalid("text augmentation needs text columns");
      }
      text = new TextAugment(copies(t, d.copies()), rate(t, "synonym", d.synonym()), rate(t, "insert", d.insert()),
          rate(t, "swap", d.swap()), rate(t, "delete", d.delete()), t.getBoolean("minority_only", d.minorityOnly()));
      if (text.synonym() + text.insert() + text.swap() + text.delete() == 0) {
        throw t.invalid("all operation rates are 0: set at least one of synonym, insert, swap, delete");
      }
    }
    ImageAugment image = PrepDefaults.AUGMENT.image();
    if (n.has("image")) {
      ImageAugment d = PrepDefaults.IMAGE_AUGMENT;
      ConfigNode i = n.required("image");
      i.allowOnly(Set.of("copies", "flip", "rotate90", "rotate_degrees", "crop", "brightness", "minority_only"));
      if (columns.image() == null) {
        throw i.invalid("image augmentation needs an image column");
      }
      double deg = i.getDouble("rotate_degrees", d.rotateDegrees());
      if (deg < 0 || deg > 45) {
        throw i.required("rotate_degrees").invalid("small-angle rotation must be between 0 and 45 degrees");
      }
      double crop = i.getDouble("crop", d.crop());
      if (crop != 0 && (crop < 0.5 || crop >= 1)) {
        throw i.required("crop").invalid("crop keeps this fraction of each side: 0 (off) or in [0.5, 1)");
      }
      double bright = i.getDouble("brightness", d.brightness());
      if (bright < 0 || bright > 1) {
        throw i.required("brightness").invalid("brightness jitter must be between 0 and 1");
      }
      image = new ImageAugment(copies(i, d.copies()), i.getBoolean("flip", d.flip()), i.getBoolean("rotate90", d.rotate90()),
          deg, crop, bright, i.getBoolean("minority_only", d.minorityOnly()));
    }
    return new Augment(text, image);
  }

  private static int copies(ConfigNode n, int dflt) {
    int c = n.getInt("copies", dflt);
    if (c < 1 || c > 100) {
      throw n.required("copies").invalid("must be between 1 and 100");
    }
    return c;
  }

  private static double rate(ConfigNode n, String key, double dflt) {
    double v = n.getDouble(key, dflt);
    if (v < 0 || v > 1) {
      throw n.required(key).invalid("rate must be between 0 and 1");
    }
    return v;
  }

  private static Balance balance(ConfigNode n, Input input, Columns columns, Labels labels) {
    Balance d = PrepDefaults.BALANCE;
    n.allowOnly(Set.of("method", "target", "k", "class_weights"));
    BalanceMethod method = n.get("method").map(m -> m.asEnum(BalanceMethod.class)).orElse(d.method());
    if (method == BalanceMethod.NONE) {
      // target and k steer re-balancing; without a method they would be ignored in silence
      for (String key : List.of("target", "k")) {
        if (n.has(key)) {
          throw n.required(key).invalid("applies only when balance.method is random or smote (method is "
              + method + (n.has("method") ? "" : ", the default") + "); set method or remove " + key);
        }
      }
    }
    String target = d.target();
    Map<String, Long> perLabel = new TreeMap<>(d.perLabel());
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
        if (perLabel.isEmpty()) {
          throw t.invalid("a per-label target needs at least one label: count");
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
    int k = n.getInt("k", d.k());
    if (k < 1 || k > 100) {
      throw n.required("k").invalid("must be between 1 and 100");
    }
    boolean pixels = input.format() == Format.IDX || (input.format() == Format.IMAGE && input.imageWidth() > 0);
    if (method == BalanceMethod.SMOTE && columns.features().isEmpty() && !pixels) {
      throw n.required("method").invalid("SMOTE interpolates numeric features and there are none"
          + " (columns.features, or image pixels with input.image_size)");
    }
    return new Balance(method, target, perLabel, k, n.getBoolean("class_weights", d.classWeights()));
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
}
