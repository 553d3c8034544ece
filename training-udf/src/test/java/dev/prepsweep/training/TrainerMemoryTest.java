package dev.prepsweep.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer's memory estimate and its check against an executor heap, without Spark or DJL. */
class TrainerMemoryTest {

  private static final long MIB = 1024 * 1024;

  private static TrainingParams params(Map<String, Object> p) {
    return TrainingParams.from(p);
  }

  @Test
  void theIssuesTextSweepDoesNotFitAOneGigabyteExecutorAndSaysWhy() {
    // issue #17: hash_dim 16384 on about 12,000 texts killed 1g executors with OutOfMemoryError
    TrainingParams p = params(Map.of("hash_dim", 16384L, "hidden", 64L, "batch_size", 64L));
    TrainerMemory need = TrainerMemory.of(p, 10_000, 2_000, p.hashDim(), false, 2);
    long heap = 1024 * MIB;
    assertThat(need.fits(heap)).isFalse();
    String why = need.tooLarge(p, heap);
    assertThat(why).contains("12000 train+val rows x hash_dim 16384 x 4 B = 750 MiB encoded")
        .contains("the executor heap is 1024 MiB").contains("lower hash_dim or raise spark.executor.memory");
    // the same rows with the default hash_dim fit
    TrainingParams small = params(Map.of("hash_dim", 2048L));
    assertThat(TrainerMemory.of(small, 10_000, 2_000, small.hashDim(), false, 2).fits(heap)).isTrue();
  }

  @Test
  void heapGrowsWithRowsTimesRowSizeAndTargets() {
    TrainingParams p = params(Map.of("hash_dim", 512L, "batch_size", 32L));
    long train = 1000;
    long val = 250;
    int classes = 3;
    TrainerMemory need = TrainerMemory.of(p, train, val, 512, false, classes);
    long encoded = (train + val) * 512 * Float.BYTES;
    // targets twice (as given, and scaled for a full batch) and one weight per row
    long targetsAndWeights = train * (2 * classes + 1) * Float.BYTES;
    assertThat(need.heapBytes()).isEqualTo(encoded + targetsAndWeights);
    long valUpload = val * 512 * Float.BYTES;
    long batchBuffers = 32L * 512 * Float.BYTES + 32L * classes * Float.BYTES;
    assertThat(need.directBytes()).isEqualTo(valUpload + batchBuffers);
    assertThat(need.totalBytes()).isEqualTo(need.heapBytes() + need.directBytes());
    // doubling the rows doubles the encoded part
    TrainerMemory twice = TrainerMemory.of(p, 2 * train, 2 * val, 512, false, classes);
    assertThat(twice.heapBytes() - 2 * targetsAndWeights).isEqualTo(2 * encoded);
  }

  @Test
  void tokenIdsCostEightBytesAndTheBatchIsCappedAtTheRows() {
    TrainingParams p = params(Map.of("model", "text_cnn", "max_tokens", 100L, "batch_size", 256L));
    TrainerMemory need = TrainerMemory.of(p, 10, 5, 100, true, 2);
    assertThat(need.elementBytes()).isEqualTo(Long.BYTES);
    assertThat(need.batchSize()).isEqualTo(10);
    assertThat(need.rowBytes()).isEqualTo(800);
    assertThat(need.tooLarge(p, 400 * MIB)).contains("max_tokens 100").contains("lower max_tokens");
  }

  @Test
  void parametersOfTheMlpAreItsDenseLayersTimesFourCopies() {
    TrainingParams p = params(Map.of("hash_dim", 1000L, "hidden", 10L, "layers", 2L));
    long dense = 1000 * 10 + 10 * 10 + 10 * 3;
    assertThat(TrainerMemory.parameters(p, 1000, 3)).isEqualTo(dense);
    assertThat(TrainerMemory.of(p, 1, 1, 1000, false, 3).parameterBytes()).isEqualTo(4 * Float.BYTES * dense);
  }

  @Test
  void theBudgetIsTheHeapLessWhatSparkReserves() {
    assertThat(TrainerMemory.budget(1024 * MIB)).isEqualTo(724 * MIB);
    assertThat(TrainerMemory.budget(100 * MIB)).isZero();
    TrainerMemory exact = new TrainerMemory(0, 0, 1, 4, 1, 1, 0);
    assertThat(exact.totalBytes()).isEqualTo(8);
    assertThat(exact.fits(TrainerMemory.SPARK_RESERVED_BYTES + 8)).isTrue();
    assertThat(exact.fits(TrainerMemory.SPARK_RESERVED_BYTES + 7)).isFalse();
  }

  @Test
  void nonsenseInputsAreRejected() {
    assertThatThrownBy(() -> new TrainerMemory(10, 1, 0, 4, 1, 2, 0)).hasMessageContaining("row size 0");
    assertThatThrownBy(() -> new TrainerMemory(10, 1, 5, 2, 1, 2, 0)).hasMessageContaining("2 B per value");
  }
}
