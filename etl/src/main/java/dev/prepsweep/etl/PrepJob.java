package dev.prepsweep.etl;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.prepsweep.common.TableVersion;
import dev.prepsweep.etl.internal.Cols;
import dev.prepsweep.tables.DeltaIO;
import dev.prepsweep.etl.internal.Deduper;
import dev.prepsweep.etl.internal.IdDuplicates;
import dev.prepsweep.etl.internal.InputOrder;
import dev.prepsweep.etl.internal.InputReader;
import dev.prepsweep.etl.internal.Lineage;
import dev.prepsweep.etl.internal.NearDeduper;
import dev.prepsweep.etl.internal.Scratch;
import dev.prepsweep.etl.internal.PostSplit;
import dev.prepsweep.etl.internal.RawInput;
import dev.prepsweep.etl.internal.Splitter;
import dev.prepsweep.etl.internal.Validator;
import dev.prepsweep.etl.internal.ValueFixer;
import dev.prepsweep.etl.internal.WriteOptions;
import dev.prepsweep.etl.plan.LabelWarnings;
import dev.prepsweep.etl.plan.SplitWarnings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prep job: read, clean and validate, de-duplicate, impute and clip, split, augment and balance
 * the train split, and write every result as a path-based Delta table under the warehouse, with a
 * lineage row in {@code prep_runs}.
 */
public final class PrepJob {
  private static final Logger LOG = LoggerFactory.getLogger(PrepJob.class);

  private PrepJob() {}

  /**
   * Runs the whole prep; tables go to {@code warehouse + "/" + name} as path-based Delta tables.
   *
   * @param spark a session with the Delta extension and catalog set
   * @param config the validated prep config
   * @param warehouse a folder or filesystem URI for the output tables
   * @param seed the seed of every random choice (split order, augmentation, sampling)
   * @return counts, labels and the table versions written
   * @throws PrepException on missing input or columns, when no clean rows remain, or when the row
   *     conservation check fails (rows read != clean + quarantined + removed duplicates)
   */
  public static PrepResult run(SparkSession spark, PrepConfig config, String warehouse, long seed) {
    return WriteOptions.withoutDictionaryForDistinctValues(spark, () -> runStages(spark, config, warehouse, seed));
  }

  private static PrepResult runStages(SparkSession spark, PrepConfig config, String warehouse, long seed) {
    String runId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    Lineage lineage = new Lineage(runId, started, config, seed);
    String wh = warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse;
    String stage = "read";
    try (Scratch scratch = new Scratch(spark, wh, runId)) {
      // 1. read + clean + validate: one narrow pass, written once as scratch Parquet
      long t0 = System.nanoTime();
      RawInput raw = InputOrder.tag(InputReader.read(spark, config));
      lineage.input(raw.location(), config.input().format().toString(), raw.version());
      stage = "clean";
      Dataset<Row> staged = scratch.materialize(Validator.apply(raw, config, seed), "staged");
      Map<String, Long> byRule = new TreeMap<>();
      TreeSet<String> validLabels = new TreeSet<>();
      long read = 0;
      int maxChars = config.clean().maxTextChars();
      Column atLimit = maxChars > 0 && Arrays.asList(staged.columns()).contains("text")
          ? when(col(Cols.RULE).isNull().and(length(col("text")).geq(maxChars - 1)), 1).otherwise(0) : lit(0);
      long truncated = 0;
      Map<LabelWarnings.Fold, Long> folds = new TreeMap<>(
          java.util.Comparator.comparing(LabelWarnings.Fold::raw).thenComparing(LabelWarnings.Fold::label));
      // a regression label's values are not gathered: there may be as many as rows
      Column validLabel = config.regression() ? lit(null).cast("string") : when(col(Cols.RULE).isNull(), col("label"));
      for (Row r : staged.groupBy(col(Cols.RULE), validLabel.as("label"), col(Cols.FOLDED))
          .agg(count(lit(1)), sum(atLimit)).collectAsList()) {
        byRule.merge(r.isNullAt(0) ? "ok" : r.getString(0), r.getLong(3), Long::sum);
        if (r.isNullAt(0) && !r.isNullAt(1)) {
          validLabels.add(r.getString(1));
          if (!r.isNullAt(2)) {
            folds.merge(new LabelWarnings.Fold(r.getString(2), r.getString(1)), r.getLong(3), Long::sum);
          }
        }
        read += r.getLong(3);
        truncated += r.isNullAt(4) ? 0 : r.getLong(4);
      }
      staged = staged.drop(Cols.FOLDED);
      if (truncated > 0) {
        lineage.warn(truncated + " texts reached clean.max_text_chars (" + maxChars + ") and were cut there");
      }
      LabelWarnings.folded(folds, config.labels().normalize()).ifPresent(lineage::warn);
      LabelWarnings.caseApart(validLabels, config.labels().normalize()).forEach(lineage::warn);
      long valid = byRule.getOrDefault("ok", 0L);
      lineage.stage("clean", read, valid, millisSince(t0));
      lineage.rules(byRule);
      LOG.info("prep {}: read {} records, {} valid, rejects by rule {}", runId, read, valid, byRule);
      dev.prepsweep.etl.internal.InputGuard.check(config, read, byRule, validLabels.size()).ifPresent(e -> {
        throw e;
      });

      // 2. de-duplicate: exact (only repeated content moves), then near-duplicates if configured
      stage = "dedupe";
      t0 = System.nanoTime();
      Deduper.Result exact = Deduper.exact(staged.where(col(Cols.RULE).isNull()).drop(Cols.REASON, Cols.SRC),
          config.dedupe(), scratch);
      Dataset<Row> deduped;
      Dataset<Row> decided;
      if (config.dedupe().near() == null) {
        decided = scratch.materialize(exact.copies(), "copies");
        deduped = exact.unique().unionByName(decided);
      } else {
        deduped = scratch.materialize(NearDeduper.apply(exact.all(), config.dedupe(), seed, scratch), "deduped");
        decided = deduped.where(col(Cols.ACTION).notEqual(Deduper.KEEP));
      }
      // ids held by more than one surviving row: before the split, so no id reaches two splits
      Dataset<Row> idChecked = IdDuplicates.apply(deduped, config.ids(), scratch);
      if (idChecked != deduped) {
        deduped = idChecked;
        decided = scratch.materialize(deduped.where(col(Cols.ACTION).notEqual(Deduper.KEEP)), "decided");
      }
      Map<String, Long> byAction = new TreeMap<>();
      for (Row r : decided.groupBy(Cols.ACTION).count().collectAsList()) {
        byAction.put(r.getString(0), r.getLong(1));
      }
      long dups = byAction.getOrDefault(Deduper.DUP, 0L);
      long conflicts = byAction.getOrDefault(Deduper.QUARANTINE, 0L);
      long idDuplicates = byAction.getOrDefault(Deduper.ID_DUPLICATE, 0L);
      long kept = valid - dups - conflicts - idDuplicates;
      lineage.stage("dedupe", valid, kept, millisSince(t0));
      LOG.info("prep {}: dedupe kept {}, removed {} duplicates, quarantined {} label conflicts and {} rows of repeated ids",
          runId, kept, dups, conflicts, idDuplicates);
      Map<String, Long> dedupeRules = new TreeMap<>();
      if (conflicts + idDuplicates > 0) {
        for (Row r : decided.where(col(Cols.ACTION).isin(Deduper.QUARANTINE, Deduper.ID_DUPLICATE))
            .groupBy(dedupeRule().as("rule")).count().collectAsList()) {
          dedupeRules.put(r.getString(0), r.getLong(1));
        }
      }
      lineage.rules(dedupeRules);
      if (kept == 0) {
        Map<String, Long> all = new TreeMap<>(byRule);
        all.remove("ok");
        all.putAll(dedupeRules);
        throw PrepErrors.noCleanRows(read, all);
      }

      // 3. quarantine table
      stage = "quarantine";
      t0 = System.nanoTime();
      Dataset<Row> rejects = staged.where(col(Cols.RULE).isNotNull())
          .select(col(Cols.STAGE).as("stage"), col(Cols.RULE).as("rule"), col(Cols.REASON).as("reason"),
              col(Cols.SRC).as("source"), col("id"), col("label"));
      Dataset<Row> conflictRows = decided.where(col(Cols.ACTION).isin(Deduper.QUARANTINE, Deduper.ID_DUPLICATE))
          .select(lit("dedupe").as("stage"), dedupeRule().as("rule"), col(Cols.REASON).as("reason"),
              dev.prepsweep.etl.internal.Records.cleanedJson(config).as("source"), col("id"), col("label"));
      Dataset<Row> quarantine = rejects.unionByName(conflictRows)
          .withColumn("run_id", lit(runId)).withColumn("quarantined_at", current_timestamp());
      Map<String, TableVersion> tables = new LinkedHashMap<>();
      DeltaIO.Written quarantineWrite = DeltaIO.overwrite(quarantine, wh, "quarantine");
      tables.put("quarantine", quarantineWrite.table());
      lineage.stage("quarantine", read - valid + conflicts + idDuplicates, read - valid + conflicts + idDuplicates, millisSince(t0));

      // 4. labels, value fixes (impute, clip), clean table
      stage = "clean_table";
      t0 = System.nanoTime();
      List<String> labels = config.labels().allowed().isEmpty() ? List.copyOf(validLabels) : config.labels().allowed();
      Dataset<Row> keptRows = deduped.where(col(Cols.ACTION).equalTo(Deduper.KEEP));
      keptRows = ValueFixer.apply(keptRows, config);
      Column labelIndex = array_position(array(labels.stream().map(l -> lit(l)).toArray(Column[]::new)), col("label"))
          .minus(1).cast("int");
      if (config.regression()) {
        // the label is the number to predict (target); label_index is its quantile bin, the split's stratum
        keptRows = keptRows.withColumn("target", col("label").cast("double"));
        dev.prepsweep.etl.plan.QuantileBins bins = dev.prepsweep.etl.internal.LabelBins.of(keptRows, config.split().bins());
        labels = bins.names();
        labelIndex = dev.prepsweep.etl.internal.LabelBins.binOf(bins, col("target"));
        lineage.warn("task regression: label quantile bins (the split's strata) " + labels);
      }
      Dataset<Row> clean = keptRows.withColumn("label_index", labelIndex);
      clean = clean.select(cleanColumns(config, clean));
      DeltaIO.Written cleanWrite = DeltaIO.overwrite(clean, wh, "clean");
      tables.put("clean", cleanWrite.table());
      Dataset<Row> cleanTable = DeltaIO.read(spark, tables.get("clean"));
      long rowsClean = cleanWrite.rows();
      lineage.stage("clean_table", kept, rowsClean, millisSince(t0));

      // conservation: every record read is clean, quarantined, or a removed duplicate copy
      long quarantined = quarantineWrite.rows();
      if (read != rowsClean + quarantined + dups) {
        throw PrepErrors.conservation(read, rowsClean, quarantined, dups);
      }

      // 5. split
      stage = "split";
      t0 = System.nanoTime();
      Splitter.Result split = Splitter.apply(spark, cleanTable, config, labels, seed, wh, tables, scratch);
      lineage.stage("split", rowsClean, rowsClean, millisSince(t0));
      lineage.splitCounts(split.classCounts());
      SplitWarnings.of(split.classCounts(), new double[] {config.split().train(), config.split().val(),
          config.split().test()}).forEach(lineage::warn);

      // 6. augment and balance the train split
      stage = "augment_balance";
      PostSplit.apply(spark, config, labels, split.classCounts().get("train"), seed, wh, tables, lineage, scratch);

      // 7. lineage
      stage = "lineage";
      lineage.ended(Instant.now());
      lineage.totals(read, rowsClean, quarantined, dups);
      tables.put("prep_runs", lineage.append(spark, tables, wh));
      LOG.info("prep {}: done in {} ms; tables {}", runId, java.time.Duration.between(started, Instant.now()).toMillis(),
          tables.values());
      lineage.warnings().forEach(w -> LOG.info("prep {}: warning: {}", runId, w));
      return new PrepResult(runId, tables, read, rowsClean, quarantined, dups, split.classCounts(), labels,
          lineage.warnings());
    } catch (PrepException | dev.prepsweep.common.config.ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw PrepErrors.sparkFailure(stage, e);
    }
  }

  /** The clean table's columns: id, label, label_index, text, [group], [features], [image]. */
  private static Column[] cleanColumns(PrepConfig config, Dataset<Row> df) {
    List<Column> out = new ArrayList<>();
    out.add(col("id"));
    out.add(col("label"));
    out.add(col("label_index"));
    if (config.regression()) {
      out.add(col("target"));
    }
    out.add(config.columns().text().isEmpty() && config.input().format() != PrepConfig.Format.TEXT
        ? lit("").as("text") : col("text"));
    if (config.columns().group() != null) {
      out.add(col("group"));
    }
    if (config.pixelFeatures()) {
      out.add(col(Validator.PIXELS).as("features"));
    } else if (!config.columns().features().isEmpty()) {
      Column[] f = new Column[config.columns().features().size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = col(Cols.feature(i));
      }
      out.add(array(f).as("features"));
    }
    if (config.columns().image() != null) {
      out.add(col("image"));
    }
    return out.toArray(Column[]::new);
  }

  /** The quarantine rule of a row the dedupe stage quarantined. */
  private static Column dedupeRule() {
    return when(col(Cols.ACTION).equalTo(Deduper.ID_DUPLICATE), lit("id.duplicate"))
        .when(col(Cols.REASON).startsWith("near-duplicate"), lit("dedupe.near_label_conflict"))
        .otherwise(lit("dedupe.label_conflict"));
  }

  /** Milliseconds since {@code t0}, a {@link System#nanoTime} reading (the stage durations of prep_runs.duration_ms). */
  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
