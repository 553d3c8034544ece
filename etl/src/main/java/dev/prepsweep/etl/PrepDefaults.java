package dev.prepsweep.etl;

import dev.prepsweep.etl.PrepConfig.Augment;
import dev.prepsweep.etl.PrepConfig.Balance;
import dev.prepsweep.etl.PrepConfig.BalanceMethod;
import dev.prepsweep.etl.PrepConfig.Clean;
import dev.prepsweep.etl.PrepConfig.ConflictPolicy;
import dev.prepsweep.etl.PrepConfig.Dedupe;
import dev.prepsweep.etl.PrepConfig.Guard;
import dev.prepsweep.etl.PrepConfig.IdDuplicates;
import dev.prepsweep.etl.PrepConfig.Ids;
import dev.prepsweep.etl.PrepConfig.ImageAugment;
import dev.prepsweep.etl.PrepConfig.Labels;
import dev.prepsweep.etl.PrepConfig.Missing;
import dev.prepsweep.etl.PrepConfig.MissingPolicy;
import dev.prepsweep.etl.PrepConfig.Near;
import dev.prepsweep.etl.PrepConfig.Split;
import dev.prepsweep.etl.PrepConfig.TextAugment;
import dev.prepsweep.etl.PrepConfig.TextPer;
import dev.prepsweep.etl.PrepConfig.UnicodeForm;
import java.util.List;
import java.util.Map;

/**
 * Every default of the {@code prep:} section, one constant per section, and nowhere else:
 * {@link PrepConfigParser} takes each key it does not find from here, so an absent section and an
 * empty one ({@code clean: {}}) give the same record ({@code PrepDefaultsTest} checks each section).
 * A key present in the file always wins.
 */
public final class PrepDefaults {

  private PrepDefaults() {}

  // input: format and path are required; the optional keys:
  /** {@code input.text_per}. */
  public static final TextPer TEXT_PER = TextPer.LINE;
  /** {@code input.label_from_folder}. */
  public static final boolean LABEL_FROM_FOLDER = false;

  // columns: label is required unless derived (label_from_folder, idx); the derived names:
  /** {@code columns.label} when the label comes from folders or an IDX labels file. */
  public static final String DERIVED_LABEL_COLUMN = "label";
  /** {@code columns.image} of image and idx inputs. */
  public static final String IMAGE_COLUMN = "image";

  /**
   * {@code clean:}. {@code min_text_chars: 1} quarantines rows whose cleaned text is empty; with no
   * text columns there is no text to check and it has no effect.
   */
  public static final Clean CLEAN = new Clean(UnicodeForm.NFKC, false, true, false, false, 1, 0, Map.of(), null, null);
  /** {@code clean.missing} of a feature column with no entry of its own and no {@code '*'} entry. */
  public static final Missing MISSING = new Missing(MissingPolicy.DROP, null);
  /** {@code clean.clip} bounds a clip mapping leaves out. */
  public static final double CLIP_LOWER = 0.0;
  public static final double CLIP_UPPER = 1.0;

  /** {@code labels:}: any non-empty label, no map, trimmed and lowercased. */
  public static final Labels LABELS = new Labels(List.of(), Map.of(), true);

  /** {@code dedupe:}: exact copies removed, near-duplicates not searched. */
  public static final Dedupe DEDUPE = new Dedupe(true, null, ConflictPolicy.MAJORITY);
  /** {@code dedupe.near:} once on ({@code near: true} or a mapping). */
  public static final Near NEAR = new Near(0.8, 5, 3);

  /** {@code split:}. */
  public static final Split SPLIT = new Split(0.8, 0.1, 0.1, true, 0, false, 0, 10);

  /** {@code augment:}: off. */
  public static final Augment AUGMENT = new Augment(null, null);
  /** {@code augment.text:} once present (every rate 0: at least one must be set). */
  public static final TextAugment TEXT_AUGMENT = new TextAugment(1, 0, 0, 0, 0, false);
  /** {@code augment.image:} once present. */
  public static final ImageAugment IMAGE_AUGMENT = new ImageAugment(1, true, false, 0, 0, 0, false);

  /**
   * {@code balance:}: no re-balancing (a section without {@code method} does not turn it on) and a
   * {@code class_weights} table.
   */
  public static final Balance BALANCE = new Balance(BalanceMethod.NONE, "max", Map.of(), 5, true);

  /** {@code guard:}. */
  public static final Guard GUARD = new Guard(1000, 0.2);

  /** {@code ids:}. */
  public static final Ids IDS = new Ids(IdDuplicates.QUARANTINE);
}
