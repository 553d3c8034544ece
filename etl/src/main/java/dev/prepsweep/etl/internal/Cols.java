package dev.prepsweep.etl.internal;

/** Internal column names the runners agree on. User columns never start with '_'. */
public final class Cols {
  private Cols() {}

  public static final String SRC = "_src";
  public static final String RULE = "_rule";
  public static final String REASON = "_reason";
  public static final String STAGE = "_stage";
  public static final String KEY = "_key";
  public static final String HASH1 = "_h1";
  public static final String HASH2 = "_h2";
  public static final String ACTION = "_action";
  /** The raw label of a valid row whose label trimming or case folding changed (else null). */
  public static final String FOLDED = "_folded";
  /** A record's position in the input ({@link InputOrder}). */
  public static final String ORDER = "_order";

  /** Lineage of train-derived rows: the id a row was made from, and how ({@link #OP_ORIGINAL}, ...). */
  public static final String SOURCE_ID = "source_id";
  public static final String OP = "op";
  public static final String OP_ORIGINAL = "original";

  /** {@code columns} without the lineage columns, which a derived table sets anew. */
  public static String[] withoutLineage(String[] columns) {
    return java.util.Arrays.stream(columns).filter(c -> !c.equals(SOURCE_ID) && !c.equals(OP)).toArray(String[]::new);
  }

  /** Raw (pre-cleaning) role columns produced by the reader. */
  public static final String R_ID = "_r_id";
  public static final String R_LABEL = "_r_label";
  public static final String R_GROUP = "_r_group";
  public static final String R_IMAGE = "_r_image";

  public static String rText(int i) {
    return "_r_text_" + i;
  }

  public static String rFeature(int i) {
    return "_r_feat_" + i;
  }

  /** Cleaned feature column i (double, maybe null until imputed). */
  public static String feature(int i) {
    return "_f_" + i;
  }
}
