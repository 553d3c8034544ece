package dev.prepsweep.training;

/**
 * What one attempt's training data costs in the executor JVM, estimated before it is encoded, so a
 * trial that cannot fit fails with its reason instead of killing the executor with an
 * {@link OutOfMemoryError} (which Spark would rerun on the next executor, and kill that one too).
 *
 * <p>The encoded rows dominate: every row becomes {@code rowSize} floats (or int64 token ids), so a
 * bag of words with {@code hash_dim} 16384 costs 64 KiB a row however short its text. Counted:
 * <ul>
 *   <li>heap: the encoded train and val arrays (both stay cached per executor), the per-row loss
 *       targets ({@code classes} floats, twice: without class weights the loop also keeps them scaled
 *       for a full batch, see {@code ModelTrainer}; counted whether or not weights are set) and row weights;</li>
 *   <li>direct memory (limited by {@code -XX:MaxDirectMemorySize}, by default the heap size): the copy
 *       of the val rows made to upload them to the engine, and the two reused batch buffers.</li>
 * </ul>
 * The model's parameters and optimizer state live in the engine's native memory, outside the heap;
 * they are reported ({@link #parameterBytes}) but not checked against the heap.
 *
 * @param trainRows rows of the train split
 * @param valRows rows of the val split
 * @param rowSize values per encoded row (hash_dim, max_tokens, features, pixels)
 * @param elementBytes bytes per value: 4 (floats) or 8 (token ids)
 * @param batchSize rows per batch (capped at the train rows)
 * @param classes number of labels
 * @param parameterBytes the model's float32 parameters times four (weights, gradients, two Adam moments)
 */
record TrainerMemory(long trainRows, long valRows, long rowSize, int elementBytes, long batchSize, int classes,
    long parameterBytes) {

  /**
   * Spark keeps this much of every executor heap for itself ({@code RESERVED_SYSTEM_MEMORY_BYTES} in
   * Spark's {@code UnifiedMemoryManager}); the trainer's budget is the rest.
   */
  static final long SPARK_RESERVED_BYTES = 300L * 1024 * 1024;
  private static final long MIB = 1024 * 1024;

  TrainerMemory {
    if (trainRows < 0 || valRows < 0 || rowSize < 1 || (elementBytes != 4 && elementBytes != 8) || batchSize < 1
        || classes < 1 || parameterBytes < 0) {
      throw new IllegalArgumentException("invalid memory estimate inputs: " + trainRows + " train rows, " + valRows
          + " val rows, row size " + rowSize + ", " + elementBytes + " B per value, batch " + batchSize + ", "
          + classes + " classes, " + parameterBytes + " B of parameters");
    }
  }

  /** The estimate for {@code params}, whose rows encode to {@code rowSize} values each. */
  static TrainerMemory of(TrainingParams params, long trainRows, long valRows, long rowSize, boolean tokenIds,
      int classes) {
    long batch = Math.max(1, Math.min(params.batchSize(), trainRows));
    return new TrainerMemory(trainRows, valRows, rowSize, tokenIds ? Long.BYTES : Float.BYTES, batch, classes,
        4L * Float.BYTES * parameters(params, rowSize, classes));
  }

  /**
   * Parameters of the families' dense layers: an input layer into {@code hidden}, {@code layers - 1}
   * hidden-to-hidden layers and the head; text_cnn adds its embedding table and convolution.
   */
  static long parameters(TrainingParams p, long rowSize, int classes) {
    long in = switch (p.model()) {
      case "text_cnn" -> p.convFilters() > 0 ? p.convFilters() : p.embedDim();
      case "cnn" -> p.convChannels();
      default -> rowSize;
    };
    long extra = switch (p.model()) {
      case "text_cnn" -> (long) p.vocabSize() * p.embedDim()
          + (long) p.convFilters() * p.embedDim() * p.kernelSize();
      case "cnn" -> (long) p.convChannels() * p.convChannels() * 9 * p.convBlocks();
      default -> 0;
    };
    long dense = p.layers() == 0 ? in * classes
        : in * p.hidden() + (long) (p.layers() - 1) * p.hidden() * p.hidden() + (long) p.hidden() * classes;
    return extra + dense;
  }

  long rowBytes() {
    return Math.multiplyExact(rowSize, (long) elementBytes);
  }

  /** Heap the attempt's data holds: encoded train and val, loss targets and row weights. */
  long heapBytes() {
    return Math.addExact(Math.multiplyExact(trainRows + valRows, rowBytes()),
        Math.multiplyExact(trainRows, (2L * classes + 1) * Float.BYTES));
  }

  /** Direct buffers: the val upload copy and the batch input and target buffers. */
  long directBytes() {
    return Math.multiplyExact(valRows + batchSize, rowBytes()) + batchSize * classes * Float.BYTES;
  }

  long totalBytes() {
    return Math.addExact(heapBytes(), directBytes());
  }

  /** What an executor with {@code maxHeapBytes} of heap can give the trainer. */
  static long budget(long maxHeapBytes) {
    return Math.max(0, maxHeapBytes - SPARK_RESERVED_BYTES);
  }

  boolean fits(long maxHeapBytes) {
    return totalBytes() <= budget(maxHeapBytes);
  }

  /**
   * Why the attempt does not fit an executor with {@code maxHeapBytes} of heap, naming the parameters
   * that drive the estimate and what to change.
   */
  String tooLarge(TrainingParams p, long maxHeapBytes) {
    String perRow = switch (p.model()) {
      case "mlp_text" -> "hash_dim " + p.hashDim();
      case "text_cnn" -> "max_tokens " + p.maxTokens();
      case "cnn" -> "image_size " + p.imageSize() + "^2";
      default -> rowSize + " features";
    };
    return "the trial needs about " + mib(totalBytes()) + " MiB of executor memory (" + (trainRows + valRows)
        + " train+val rows x " + perRow + " x " + elementBytes + " B = " + mib((trainRows + valRows) * rowBytes())
        + " MiB encoded, plus targets and batch buffers of batch_size " + batchSize + ") but the executor heap is "
        + mib(maxHeapBytes) + " MiB, of which Spark reserves " + mib(SPARK_RESERVED_BYTES)
        + " MiB: lower " + perRow.substring(0, perRow.indexOf(' ')) + " or raise spark.executor.memory"
        + " (the check runs before training, so no executor died)";
  }

  private static long mib(long bytes) {
    return (bytes + MIB - 1) / MIB;
  }
}
